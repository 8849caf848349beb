import { useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import type { EscalatedRequest, ServiceRequestSummary } from '@linli/shared/schemas'
import { srStatusLabels } from '@linli/shared/service-requests/labels'
import { isOpenStatus } from '@linli/shared/service-requests/rules'
import { Card, EmptyState, LoadError, Notice, PageShell } from '../../../../components'
import { escalations, listAll } from '../../../../services/api/service-requests'
import { errorText } from '../../../../services/http'
import { useRefresh, useReshow } from '../../../../hooks/useRefresh'
import { useSession } from '../../../../hooks/useSession'
import { formatDateTime } from '../../../../utils/format'
import { open, routes, withQuery } from '../../../../utils/routes'
import { CommunityPicker, SrRow } from '../../components'
import { useSrCommunity } from '../../lib/useSrCommunity'
import './index.scss'

/**
 * Committee / community worker: the escalations inbox (overdue open requests) and the open requests of
 * committee-handled categories, which they handle themselves (actions on the request page).
 */
export default function HandlePage() {
  const { me } = useSession({ requireLogin: true })
  const { communities, current, pick } = useSrCommunity(me)
  const supervising = communities.filter((c) => c.supervisor)
  const cid = current?.communityId ?? null
  const [inbox, setInbox] = useState<EscalatedRequest[] | null>(null)
  const [todo, setTodo] = useState<ServiceRequestSummary[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)

  const load = async () => {
    if (cid === null || !current?.supervisor) return
    setError(null)
    setLoading(true)
    try {
      const [e, t] = await Promise.all([escalations(cid), listAll(cid, { handler: 'committee', limit: 100 })])
      setInbox(e)
      setTodo(t.filter((r) => isOpenStatus(r.status)))
    } catch (e) {
      setError(errorText(e))
    } finally {
      setLoading(false)
    }
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: reruns only when the inputs listed change; the loader is redefined each render
  useEffect(() => void load(), [cid, current?.supervisor])
  useRefresh(load)
  useReshow(load)

  const openDetail = (r: ServiceRequestSummary) =>
    open(withQuery(routes.srDetail, { communityId: r.communityId, requestId: r.id }))

  return (
    <PageShell>
      <Text className='title' id='sr-handle-title'>
        报事处理{current?.communityName ? ` · ${current.communityName}` : ''}
      </Text>
      <CommunityPicker communities={supervising} currentId={cid} onPick={pick} />
      {me && !current?.supervisor ? (
        <Notice kind='info' id='sr-handle-not-supervisor'>
          此页面供业委会委员和社区工作者使用。
        </Notice>
      ) : null}
      {error ? (
        <LoadError id='sr-handle-load-error' message={error} busy={loading} onRetry={() => void load()} />
      ) : null}
      {loading && !inbox && !error ? <Text className='hint'>正在加载…</Text> : null}
      {inbox ? (
        <Card title={`超时报事（${inbox.length}）`} id='sr-escalations'>
          {inbox.length === 0 ? (
            <EmptyState id='sr-escalations-empty' title='没有超时的报事' />
          ) : (
            inbox.map((r) => (
              <SrRow key={r.id} item={r} id={`sr-escalation-${r.id}`} onClick={() => openDetail(r)}>
                <Text className='hint'>
                  {srStatusLabels[r.status]} · 升级于 {formatDateTime(r.escalatedAt)} · 受理时限{' '}
                  {formatDateTime(r.acceptDueAt)}
                  {r.resolveDueAt ? ` · 处理时限 ${formatDateTime(r.resolveDueAt)}` : ''}
                  {r.urgeCount ? ` · 催办 ${r.urgeCount} 次` : ''}
                </Text>
              </SrRow>
            ))
          )}
        </Card>
      ) : null}
      {todo ? (
        <Card title={`待业委会/社区处理（${todo.length}）`} id='sr-todo'>
          {todo.length === 0 ? (
            <EmptyState id='sr-todo-empty' title='没有待处理的报事' />
          ) : (
            todo.map((r) => <SrRow key={r.id} item={r} id={`sr-todo-${r.id}`} onClick={() => openDetail(r)} />)
          )}
          <View className='mt'>
            <Text className='hint'>点开报事可受理、派单、开始处理、完成或不予受理。</Text>
          </View>
        </Card>
      ) : null}
    </PageShell>
  )
}
