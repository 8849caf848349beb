import { useEffect, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { MembershipApplication } from '@linli/shared/schemas'
import { relationLabels } from '@linli/shared/households/rules'
import { Card, EmptyState, LoadError, Notice, PageShell } from '../../../../components'
import { approveApplication, listPendingApplications, rejectApplication } from '../../../../services/api/committee'
import { errorText } from '../../../../services/http'
import { useAsync } from '../../../../hooks/useAsync'
import { useLeaveGuard } from '../../../../hooks/useLeaveGuard'
import { useRefresh, useReshow } from '../../../../hooks/useRefresh'
import { useSession } from '../../../../hooks/useSession'
import { confirm } from '../../../../utils/confirm'
import { reviewCommunities } from '../../../../utils/roles'
import { validateRejectReason } from '../../../../utils/validation'
import { UnitClaims, type RejectPanel } from './UnitClaims'
import { CommunityChooser } from '../../components/CommunityChooser'
import './index.scss'

const nameOf = (a: MembershipApplication) => a.applicant.statedName ?? a.applicant.displayName

/** Applications grouped by unit, in the order their first one arrived: competing claims end up together. */
function byUnit(apps: MembershipApplication[]): MembershipApplication[][] {
  const groups = new Map<number, MembershipApplication[]>()
  for (const a of [...apps].sort((x, y) => x.createdAt.localeCompare(y.createdAt)))
    groups.set(a.unit.id, [...(groups.get(a.unit.id) ?? []), a])
  return [...groups.values()]
}

export default function VerificationsPage() {
  const router = useRouter()
  const { me } = useSession({ requireLogin: true })
  const mine = me ? reviewCommunities(me) : []
  const paramId = Number(router.params.communityId ?? '')
  const [picked, setPicked] = useState<{ id: number; name: string } | null>(null)
  const current =
    picked ??
    (Number.isInteger(paramId) && paramId > 0
      ? { id: paramId, name: mine.find((c) => c.communityId === paramId)?.communityName ?? '' }
      : mine[0]
        ? { id: mine[0].communityId, name: mine[0].communityName }
        : null)

  const list = useAsync<MembershipApplication[]>()
  const [reject, setReject] = useState<RejectPanel | null>(null)
  const [busyId, setBusyId] = useState<number | null>(null)
  const [actionError, setActionError] = useState<string | null>(null)
  const [result, setResult] = useState<string | null>(null)
  // a reason half-written is not lost by a slip of the back button
  useLeaveGuard(!!reject && reject.reason.trim() !== '' && busyId === null)

  const currentId = current?.id ?? null
  const load = () =>
    currentId === null ? Promise.resolve(undefined) : list.run(() => listPendingApplications(currentId))
  // biome-ignore lint/correctness/useExhaustiveDependencies: reruns only when the inputs listed change; the loader is redefined each render
  useEffect(() => {
    setReject(null)
    void load()
  }, [currentId])
  // coming back to the page (e.g. after logging in again): refresh the list; the first show is the effect above
  useReshow(load)
  useRefresh(load)

  const done = (verdict: string, app: MembershipApplication) => {
    setResult(
      `${verdict} ${nameOf(app)} 的申请（${app.unit.buildingName} ${app.unit.number}，${relationLabels[app.relation]}）`,
    )
    setReject(null)
    void Taro.showToast({ title: verdict, icon: 'none' })
    // the other claims on that unit now show who was verified there
    void load()
  }

  const approve = async (app: MembershipApplication) => {
    if (!current) return
    const others = (list.data ?? []).filter((a) => a.unit.id === app.unit.id && a.id !== app.id).length
    const ok = await confirm({
      title: '通过这份申请？',
      content: `确认 ${nameOf(app)} 是 ${app.unit.buildingName} ${app.unit.number} 的${relationLabels[app.relation]}。通过后即成为认证住户，证明材料随即删除。${others > 0 ? `这套房屋还有 ${others} 份申请待处理。` : ''}`,
      confirmText: '通过',
    })
    if (!ok) return
    setBusyId(app.id)
    setActionError(null)
    try {
      await approveApplication(current.id, app.id)
      done('已通过', app)
    } catch (e) {
      setActionError(errorText(e))
    } finally {
      setBusyId(null)
    }
  }

  const rejectNow = async (app: MembershipApplication) => {
    if (!current || !reject) return
    const reason = reject.reason.trim()
    const invalid = validateRejectReason(reason)
    if (invalid) {
      setReject({ ...reject, error: invalid })
      return
    }
    setBusyId(app.id)
    setActionError(null)
    try {
      await rejectApplication(current.id, app.id, reason)
      done('已驳回', app)
    } catch (e) {
      setActionError(errorText(e))
    } finally {
      setBusyId(null)
    }
  }

  const isReviewer = !!me && (mine.length > 0 || me.isPlatformAdmin)
  const groups = byUnit(list.data ?? [])

  return (
    <PageShell>
      {me && !isReviewer ? (
        <EmptyState
          id='verif-not-reviewer'
          title='您没有审核权限'
          description='住户绑定申请由本小区的业委会委员或社区工作者审核。'
        />
      ) : null}

      <CommunityChooser
        idPrefix='verif'
        mine={mine}
        current={current}
        isPlatformAdmin={!!me?.isPlatformAdmin}
        onPick={setPicked}
      />

      {current ? (
        <View>
          <Text className='subtitle' id='verif-community-name'>
            {current.name ? `${current.name} · ` : ''}待审核申请
          </Text>
          <Text className='hint'>
            请对照名册和证明材料核实申请人身份。名册信息已打码；证明材料只有审核人能看到，审核结束后即删除。
          </Text>
        </View>
      ) : null}

      {result ? (
        <Notice kind='success' id='verif-result'>
          {result}
        </Notice>
      ) : null}
      {actionError ? (
        <Notice kind='error' id='verif-error'>
          {actionError}
        </Notice>
      ) : null}
      {list.error ? (
        <LoadError id='verif-load-error' message={list.error} onRetry={() => void load()} busy={list.loading} />
      ) : null}
      {list.loading && !list.data ? <Text className='hint'>正在加载…</Text> : null}

      {current && list.data && list.data.length === 0 ? (
        <Card>
          <EmptyState id='verif-empty' title='暂无待审核的申请' description='新的住户绑定申请会显示在这里。' />
        </Card>
      ) : null}

      <View className='mt'>
        {groups.map((apps) => (
          <UnitClaims
            key={apps[0]!.unit.id}
            unitTitle={`${apps[0]!.unit.buildingName} ${apps[0]!.unit.number}`}
            apps={apps}
            reject={reject && apps.some((a) => a.id === reject.id) ? reject : null}
            busyId={busyId}
            onApprove={(app) => void approve(app)}
            onOpenReject={(app) => setReject({ id: app.id, reason: '', error: null })}
            onReasonChange={(reason) => reject && setReject({ ...reject, reason, error: null })}
            onCancelReject={() => setReject(null)}
            onReject={(app) => void rejectNow(app)}
          />
        ))}
      </View>
    </PageShell>
  )
}
