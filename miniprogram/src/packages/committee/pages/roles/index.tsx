import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import type { HomeRef, RoleAssignment, RoleCandidate } from '@linli/shared/schemas'
import { eligibleFor, mayAppoint, roleLabels, type CommunityRole } from '@linli/shared/households/roles'
import { relationLabels } from '@linli/shared/households/rules'
import { ActionButton, Card, EmptyState, LoadError, Notice, PageShell } from '../../../../components'
import { findCandidates, grantRole, listRoles, revokeRole } from '../../../../services/api/roles'
import { errorText } from '../../../../services/http'
import { useAsync } from '../../../../hooks/useAsync'
import { useRefresh, useReshow } from '../../../../hooks/useRefresh'
import { useSession } from '../../../../hooks/useSession'
import { confirm } from '../../../../utils/confirm'
import { formatDate } from '../../../../utils/format'
import { heldIn, roleManagedCommunities } from '../../../../utils/roles'
import { CommunityChooser } from '../../components/CommunityChooser'
import './index.scss'

const homesText = (homes: HomeRef[]) =>
  homes.length === 0
    ? '不是本小区认证住户'
    : homes.map((h) => `${h.buildingName} ${h.number}（${relationLabels[h.relation]}）`).join('、')

/**
 * 管理角色: a community worker sees the committee members and workers of the community and appoints or removes
 * committee members among its verified owners; a platform admin also appoints community workers. Who may do
 * what is shared/src/households/roles.ts (mayAppoint, eligibleFor), the BFF's own rule.
 */
export default function RolesPage() {
  const { me } = useSession({ requireLogin: true })
  const managed = me ? roleManagedCommunities(me) : []
  const [picked, setPicked] = useState<{ id: number; name: string } | null>(null)
  const current = picked ?? (managed[0] ? { id: managed[0].communityId, name: managed[0].communityName } : null)
  const held = me && current ? heldIn(me, current.id) : new Set<never>()
  const appointable = (['committee', 'worker'] as const).filter((r) => mayAppoint(held, r))

  const roles = useAsync<RoleAssignment[]>()
  const [role, setRole] = useState<CommunityRole>('committee')
  const [q, setQ] = useState('')
  const candidates = useAsync<RoleCandidate[]>()
  const [busy, setBusy] = useState<string | null>(null)
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null)

  const currentId = current?.id ?? null
  const load = () => (currentId === null ? Promise.resolve(undefined) : roles.run(() => listRoles(currentId)))
  // biome-ignore lint/correctness/useExhaustiveDependencies: reruns only when the inputs listed change; the loader is redefined each render
  useEffect(() => {
    candidates.setData(undefined)
    setMessage(null)
    void load()
  }, [currentId])
  useReshow(load)
  useRefresh(load)

  const search = () => {
    if (currentId === null || q.trim() === '') return
    void candidates.run(() => findCandidates(currentId, q))
  }

  const appoint = async (c: RoleCandidate) => {
    if (!current) return
    const ok = await confirm({
      title: `任命${roleLabels[role]}？`,
      content: `任命 ${c.statedName ?? c.displayName} 为 ${current.name}的${roleLabels[role]}。`,
      confirmText: '任命',
    })
    if (!ok) return
    setBusy(`grant-${c.personId}`)
    setMessage(null)
    try {
      await grantRole(current.id, c.personId, role)
      setMessage({ kind: 'success', text: `已任命 ${c.statedName ?? c.displayName} 为${roleLabels[role]}` })
      void Taro.showToast({ title: '已任命', icon: 'none' })
      candidates.setData(
        candidates.data?.map((x) => (x.personId === c.personId ? { ...x, roles: [...x.roles, role] } : x)),
      )
      void load()
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) })
    } finally {
      setBusy(null)
    }
  }

  const remove = async (a: RoleAssignment) => {
    if (!current) return
    const ok = await confirm({
      title: `免去${roleLabels[a.role]}？`,
      content: `免去后 ${a.displayName} 不再能审核住户申请、管理本小区事务。`,
      confirmText: '免去',
      danger: true,
    })
    if (!ok) return
    setBusy(`revoke-${a.personId}-${a.role}`)
    setMessage(null)
    try {
      await revokeRole(current.id, a.personId, a.role)
      setMessage({ kind: 'success', text: `已免去 ${a.displayName} 的${roleLabels[a.role]}职务` })
      roles.setData(roles.data?.filter((x) => !(x.personId === a.personId && x.role === a.role)))
      candidates.setData(
        candidates.data?.map((x) =>
          x.personId === a.personId ? { ...x, roles: x.roles.filter((r) => r !== a.role) } : x,
        ),
      )
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) })
    } finally {
      setBusy(null)
    }
  }

  if (me && !me.isPlatformAdmin && managed.length === 0) {
    return (
      <PageShell>
        <EmptyState
          id='roles-not-allowed'
          title='您没有管理角色的权限'
          description='业委会委员由社区工作者任命，社区工作者由平台管理员任命。'
        />
      </PageShell>
    )
  }

  const section = (r: CommunityRole) => {
    const items = (roles.data ?? []).filter((a) => a.role === r)
    return (
      <Card title={`${roleLabels[r]}（${items.length} 人）`} id={`roles-${r}`}>
        {roles.data && items.length === 0 ? <Text className='hint'>还没有{roleLabels[r]}</Text> : null}
        {items.map((a) => (
          <View key={`${a.personId}-${a.role}`} className='person' id={`roles-${r}-${a.personId}`}>
            <View className='person__text'>
              <Text className='person__name'>{a.displayName}</Text>
              <Text className='hint'>{homesText(a.homes)}</Text>
              <Text className='hint'>任命于 {formatDate(a.grantedAt)}</Text>
            </View>
            {mayAppoint(held, r) ? (
              <View className='person__action'>
                <ActionButton
                  id={`roles-remove-${r}-${a.personId}`}
                  variant='secondary'
                  block={false}
                  loading={busy === `revoke-${a.personId}-${r}`}
                  onClick={() => void remove(a)}
                >
                  免去
                </ActionButton>
              </View>
            ) : null}
          </View>
        ))}
      </Card>
    )
  }

  return (
    <PageShell>
      <CommunityChooser
        idPrefix='roles'
        mine={managed}
        current={current}
        isPlatformAdmin={!!me?.isPlatformAdmin}
        onPick={setPicked}
      />

      {current ? (
        <View>
          <Text className='subtitle' id='roles-community-name'>
            {current.name ? `${current.name} · ` : ''}管理角色
          </Text>
          <Text className='hint'>
            业委会委员须由本小区已认证的业主担任（物业管理条例第十六条）；社区工作者由平台管理员任命。
          </Text>
        </View>
      ) : (
        <Notice kind='info'>请先选择小区。</Notice>
      )}

      {message ? (
        <Notice kind={message.kind} id='roles-message'>
          {message.text}
        </Notice>
      ) : null}
      {roles.error ? (
        <LoadError id='roles-load-error' message={roles.error} onRetry={() => void load()} busy={roles.loading} />
      ) : null}
      {roles.loading && !roles.data ? <Text className='hint'>正在加载…</Text> : null}

      {current && roles.data ? (
        <View className='mt'>
          {section('committee')}
          {section('worker')}
        </View>
      ) : null}

      {current && appointable.length > 0 ? (
        <Card title='任命' id='roles-appoint'>
          {appointable.length > 1 ? (
            <View className='grid'>
              {appointable.map((r) => (
                <View
                  key={r}
                  id={`roles-appoint-role-${r}`}
                  className={`option ${role === r ? 'option--selected' : ''}`}
                  onClick={() => setRole(r)}
                >
                  {roleLabels[r]}
                </View>
              ))}
            </View>
          ) : null}
          <Text className='hint'>
            {role === 'committee'
              ? '在本小区已认证的住户中查找：输入姓名或房号（如 1栋 202）。'
              : '输入姓名或房号查找住户，或输入对方在邻里绑定的完整手机号。'}
          </Text>
          <View className='field-row mt'>
            <Input
              id='roles-search'
              className='field'
              value={q}
              placeholder={role === 'committee' ? '姓名或房号' : '姓名、房号或手机号'}
              confirmType='search'
              onInput={(e) => setQ(e.detail.value)}
              onConfirm={search}
            />
            <ActionButton id='roles-search-submit' block={false} disabled={q.trim() === ''} onClick={search}>
              查找
            </ActionButton>
          </View>
          {candidates.error ? (
            <LoadError id='roles-search-error' message={candidates.error} onRetry={search} busy={candidates.loading} />
          ) : null}
          {candidates.loading ? <Text className='hint mt'>正在查找…</Text> : null}
          {candidates.data?.length === 0 ? (
            <Text className='hint mt' id='roles-search-empty'>
              没有找到。只能任命本小区已认证的住户，请确认对方已绑定房屋并通过审核。
            </Text>
          ) : null}
          {candidates.data?.map((c) => {
            const already = c.roles.includes(role)
            const eligible = eligibleFor(
              role,
              c.homes.map((h) => h.relation),
            )
            return (
              <View key={c.personId} className='person' id={`roles-candidate-${c.personId}`}>
                <View className='person__text'>
                  <Text className='person__name'>
                    {c.statedName ?? c.displayName}
                    {c.statedName && c.statedName !== c.displayName ? (
                      <Text className='hint'>（昵称 {c.displayName}）</Text>
                    ) : null}
                  </Text>
                  <Text className='hint'>{homesText(c.homes)}</Text>
                  {already ? (
                    <Text className='hint'>已是{roleLabels[role]}</Text>
                  ) : !eligible ? (
                    <Text className='person__why'>不是本小区认证业主，不能任命为业委会委员</Text>
                  ) : null}
                </View>
                {!already && eligible ? (
                  <View className='person__action'>
                    <ActionButton
                      id={`roles-grant-${c.personId}`}
                      block={false}
                      loading={busy === `grant-${c.personId}`}
                      onClick={() => void appoint(c)}
                    >
                      任命
                    </ActionButton>
                  </View>
                ) : null}
              </View>
            )
          })}
        </Card>
      ) : null}
    </PageShell>
  )
}
