import { useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import type { BuildingSummary, ServiceRequestSummary } from '@linli/shared/schemas'
import { followRefusal } from '@linli/shared/service-requests/rules'
import { ActionButton, Card, EmptyState, LoadError, Notice, PageShell } from '../../../../components'
import { listBuildings } from '../../../../services/api/communities'
import { board, follow, viewerRoles } from '../../../../services/api/service-requests'
import { errorText } from '../../../../services/http'
import { useAsync } from '../../../../hooks/useAsync'
import { useRefresh } from '../../../../hooks/useRefresh'
import { useSession } from '../../../../hooks/useSession'
import { open, routes, withQuery } from '../../../../utils/routes'
import { CommunityPicker, NotMember, SrRow } from '../../components'
import { useIdParam, useSrCommunity } from '../../lib/useSrCommunity'
import './index.scss'

const STATES = [
  { key: 'open', label: '处理中' },
  { key: 'done', label: '已结束' },
  { key: 'all', label: '全部' },
] as const

/** 本楼公共报修: requests about a building's shared parts (or the public areas); never who filed them. */
export default function BoardPage() {
  const { me } = useSession({ requireLogin: true })
  const { communities, current, member, pick } = useSrCommunity(me)
  const cid = member ? (current?.communityId ?? null) : null
  const fromParam = useIdParam('buildingId')
  // default: the building of my first verified unit here
  const myBuilding =
    (me?.households ?? []).find((m) => m.state === 'verified' && m.unit.communityId === cid)?.unit.buildingId ?? null
  const [buildingId, setBuildingId] = useState<number | null | undefined>(undefined)
  const shownBuilding = buildingId === undefined ? (fromParam ?? myBuilding) : buildingId
  const [state, setState] = useState<'open' | 'done' | 'all'>('open')
  const [buildings, setBuildings] = useState<BuildingSummary[]>([])
  const [error, setError] = useState<string | null>(null)
  const list = useAsync<ServiceRequestSummary[]>()

  const roles = viewerRoles(me, cid)

  const loadBuildings = () => (cid !== null ? listBuildings(cid).then(setBuildings) : Promise.resolve())
  const loadList = () => (cid !== null ? list.run(() => board(cid, shownBuilding ?? undefined, state)) : undefined)
  // biome-ignore lint/correctness/useExhaustiveDependencies: reruns only when the inputs listed change; the loader is redefined each render
  useEffect(() => {
    void loadBuildings().catch(() => setBuildings([]))
  }, [cid])
  // biome-ignore lint/correctness/useExhaustiveDependencies: reruns only when the inputs listed change; the loader is redefined each render
  useEffect(() => {
    void loadList()
  }, [cid, shownBuilding, state])
  const reload = () => Promise.all([loadBuildings().catch(() => undefined), loadList()])
  useRefresh(reload)

  async function toggleFollow(r: ServiceRequestSummary) {
    if (cid === null) return
    setError(null)
    try {
      const res = await follow(cid, r.id, !r.following)
      list.setData(
        (list.data ?? []).map((x) =>
          x.id === r.id ? { ...x, following: res.following, followerCount: res.followerCount } : x,
        ),
      )
    } catch (e) {
      setError(errorText(e))
    }
  }

  return (
    <PageShell>
      <Text className='title' id='sr-board-title'>
        公共报修{current?.communityName ? ` · ${current.communityName}` : ''}
      </Text>
      <CommunityPicker communities={communities} currentId={cid} onPick={pick} />
      {member === false ? <NotMember id='sr-board-not-member' /> : null}
      {member ? (
        <Card title='范围'>
          <View className='grid'>
            {buildings.map((b) => (
              <View
                key={b.id}
                id={`sr-board-building-${b.id}`}
                className={`option ${shownBuilding === b.id ? 'option--selected' : ''}`}
                onClick={() => setBuildingId(b.id)}
              >
                {b.name}
              </View>
            ))}
            <View
              id='sr-board-public'
              className={`option ${shownBuilding === null ? 'option--selected' : ''}`}
              onClick={() => setBuildingId(null)}
            >
              小区公共区域
            </View>
          </View>
          <View className='grid mt'>
            {STATES.map((s) => (
              <View
                key={s.key}
                id={`sr-board-state-${s.key}`}
                className={`option ${state === s.key ? 'option--selected' : ''}`}
                onClick={() => setState(s.key)}
              >
                {s.label}
              </View>
            ))}
          </View>
          <Text className='hint'>这里只显示公共部位的报事，不显示报事人。遇到同样的问题，点“我也遇到了”一起跟进。</Text>
        </Card>
      ) : null}
      {list.error ? (
        <LoadError id='sr-board-error' message={list.error} busy={list.loading} onRetry={() => void reload()} />
      ) : null}
      {error ? (
        <Notice kind='error' id='sr-board-action-error'>
          {error}
        </Notice>
      ) : null}
      {list.loading && !list.data ? <Text className='hint'>正在加载…</Text> : null}
      {list.data ? (
        <Card title={`报事（${list.data.length}）`} id='sr-board-list'>
          {list.data.length === 0 ? (
            <EmptyState id='sr-board-empty' title='暂无报事' />
          ) : (
            list.data.map((r) => (
              <SrRow
                key={r.id}
                item={r}
                id={`sr-board-item-${r.id}`}
                onClick={() => open(withQuery(routes.srDetail, { communityId: r.communityId, requestId: r.id }))}
              >
                {r.following ||
                followRefusal(
                  { status: r.status, locationKind: r.location.kind, handler: r.handler },
                  { isReporter: r.mine, roles },
                ) === null ? (
                  <View className='mt' onClick={(e) => e.stopPropagation()}>
                    <ActionButton
                      id={`sr-board-item-${r.id}-metoo`}
                      variant={r.following ? 'plain' : 'secondary'}
                      onClick={() => void toggleFollow(r)}
                    >
                      {r.following ? '已关注（取消）' : '我也遇到了'}
                    </ActionButton>
                  </View>
                ) : null}
              </SrRow>
            ))
          )}
        </Card>
      ) : null}
    </PageShell>
  )
}
