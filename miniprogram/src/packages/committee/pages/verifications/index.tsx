import { useEffect, useRef, useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import type { CommunitySummary, MembershipApplication } from '@linli/shared/schemas'
import { EmptyState, Notice, PageShell, ActionButton, Card } from '../../../../components'
import { approveApplication, listPendingApplications, rejectApplication } from '../../../../services/api/committee'
import { searchCommunities } from '../../../../services/api/communities'
import { errorText } from '../../../../services/http'
import { useAsync } from '../../../../hooks/useAsync'
import { useSession } from '../../../../hooks/useSession'
import { reviewCommunities } from '../../../../utils/roles'
import { validateRejectReason } from '../../../../utils/validation'
import { ApplicationCard, type Panel } from './ApplicationCard'
import './index.scss'

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
  const [panel, setPanel] = useState<{ id: number; panel: Panel } | null>(null)
  const [busy, setBusy] = useState(false)
  const [actionError, setActionError] = useState<string | null>(null)
  const [result, setResult] = useState<string | null>(null)

  // admin without community roles: search any community
  const [q, setQ] = useState('')
  const found = useAsync<CommunitySummary[]>()

  const load = (communityId: number) => {
    setPanel(null)
    void list.run(() => listPendingApplications(communityId))
  }

  const currentId = current?.id ?? null
  useEffect(() => {
    if (currentId !== null) load(currentId)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [currentId])
  // coming back to the page (e.g. after logging in again): refresh the list; the first show is the effect above
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current && currentId !== null) load(currentId)
    shown.current = true
  })

  const decide = async (app: MembershipApplication) => {
    if (!current || !panel) return
    let reason = ''
    if (panel.panel.kind === 'reject') {
      reason = panel.panel.reason.trim()
      const invalid = validateRejectReason(reason)
      if (invalid) {
        setPanel({ id: app.id, panel: { ...panel.panel, error: invalid } })
        return
      }
    }
    setBusy(true)
    setActionError(null)
    try {
      if (panel.panel.kind === 'approve') await approveApplication(current.id, app.id)
      else await rejectApplication(current.id, app.id, reason)
      const verdict = panel.panel.kind === 'approve' ? '已通过' : '已驳回'
      setResult(`${verdict} ${app.applicant.displayName} 的申请（${app.unit.buildingName} ${app.unit.number}）`)
      setPanel(null)
      list.setData(list.data?.filter((a) => a.id !== app.id))
      void Taro.showToast({ title: verdict, icon: 'none' })
    } catch (e) {
      setActionError(errorText(e))
    } finally {
      setBusy(false)
    }
  }

  const isReviewer = !!me && (mine.length > 0 || me.isPlatformAdmin)

  return (
    <PageShell>
      {me && !isReviewer ? (
        <EmptyState
          id='verif-not-reviewer'
          title='您没有审核权限'
          description='住户绑定申请由本小区的业委会委员或社区工作者审核。'
        />
      ) : null}

      {mine.length > 1 || me?.isPlatformAdmin ? (
        <Card title='选择小区'>
          <View className='grid'>
            {mine.map((c) => (
              <View
                key={c.communityId}
                id={`verif-community-${c.communityId}`}
                className={`option ${current?.id === c.communityId ? 'option--selected' : ''}`}
                onClick={() => setPicked({ id: c.communityId, name: c.communityName })}
              >
                {c.communityName}
              </View>
            ))}
          </View>
          {me?.isPlatformAdmin ? (
            <View className='mt'>
              <View className='field-row'>
                <Input
                  id='verif-community-search'
                  className='field'
                  value={q}
                  placeholder='平台管理员：搜索小区'
                  onInput={(e) => setQ(e.detail.value)}
                />
                <ActionButton block={false} onClick={() => void found.run(() => searchCommunities(q))}>
                  搜索
                </ActionButton>
              </View>
              {found.data?.map((c) => (
                <View
                  key={c.id}
                  id={`verif-community-${c.id}`}
                  className={`option mt ${current?.id === c.id ? 'option--selected' : ''}`}
                  onClick={() => setPicked({ id: c.id, name: c.name })}
                >
                  {c.name}
                </View>
              ))}
            </View>
          ) : null}
        </Card>
      ) : null}

      {current ? (
        <View>
          <Text className='subtitle' id='verif-community-name'>
            {current.name ? `${current.name} · ` : ''}待审核申请
          </Text>
          <Text className='hint'>请对照名册核实申请人身份；信息已按最小必要原则打码。</Text>
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
        <Notice kind='error' id='verif-load-error'>
          {list.error}
        </Notice>
      ) : null}
      {list.loading && !list.data ? <Text className='hint'>正在加载…</Text> : null}

      {current && list.data && list.data.length === 0 ? (
        <Card>
          <EmptyState id='verif-empty' title='暂无待审核的申请' description='新的住户绑定申请会显示在这里。' />
        </Card>
      ) : null}

      <View className='mt'>
        {list.data?.map((app) => (
          <ApplicationCard
            key={app.id}
            app={app}
            panel={panel?.id === app.id ? panel.panel : null}
            busy={busy}
            onOpen={(kind) =>
              setPanel({ id: app.id, panel: kind === 'approve' ? { kind } : { kind, reason: '', error: null } })
            }
            onClose={() => setPanel(null)}
            onReasonChange={(reason) => setPanel({ id: app.id, panel: { kind: 'reject', reason, error: null } })}
            onApprove={() => void decide(app)}
            onReject={() => void decide(app)}
          />
        ))}
      </View>
    </PageShell>
  )
}
