import { useEffect } from 'react'
import { View, Text } from '@tarojs/components'
import type { MyServiceRequest } from '@linli/shared/schemas'
import { isOpenStatus } from '@linli/shared/service-requests/rules'
import { srActionLabels } from '@linli/shared/service-requests/labels'
import { ActionButton, Card, EmptyState, LoadError, PageShell } from '../../../../components'
import { myRequests } from '../../../../services/api/service-requests'
import { useAsync } from '../../../../hooks/useAsync'
import { useRefresh, useReshow } from '../../../../hooks/useRefresh'
import { useSession } from '../../../../hooks/useSession'
import { formatDateTime } from '../../../../utils/format'
import { open, routes, withQuery } from '../../../../utils/routes'
import { CommunityPicker, NotMember, SrRow } from '../../components'
import { useSrCommunity } from '../../lib/useSrCommunity'
import './index.scss'

/** My requests (filed by me or followed with "我也遇到了"): open first, each with its state and last step. */
export default function MyRequestsPage() {
  const { me } = useSession({ requireLogin: true })
  const { communities, current, member, pick } = useSrCommunity(me)
  const cid = member ? (current?.communityId ?? null) : null
  const list = useAsync<MyServiceRequest[]>()
  const load = () => (cid !== null ? list.run(() => myRequests(cid)) : undefined)
  // biome-ignore lint/correctness/useExhaustiveDependencies: reruns only when the inputs listed change; the loader is redefined each render
  useEffect(() => void load(), [cid])
  useRefresh(load)
  useReshow(load)
  const items = list.data ?? []
  const groups = [
    { key: 'open', title: '处理中', items: items.filter((r) => isOpenStatus(r.status) || r.status === 'resolved') },
    { key: 'done', title: '已结束', items: items.filter((r) => !(isOpenStatus(r.status) || r.status === 'resolved')) },
  ]
  return (
    <PageShell>
      <Text className='title' id='sr-mine-title'>
        我的报修
      </Text>
      <CommunityPicker communities={communities} currentId={cid} onPick={pick} />
      {member === false ? <NotMember id='sr-mine-not-member' /> : null}
      {list.error ? (
        <LoadError id='sr-mine-error' message={list.error} busy={list.loading} onRetry={() => void load()} />
      ) : null}
      {list.loading && !list.data ? <Text className='hint'>正在加载…</Text> : null}
      {list.data && items.length === 0 ? (
        <Card>
          <EmptyState
            id='sr-mine-empty'
            title='还没有报修记录'
            description='家里或小区公共部位有问题，可以随时报事报修。'
          >
            <ActionButton onClick={() => open(withQuery(routes.srFile, { communityId: cid }))}>报事报修</ActionButton>
          </EmptyState>
        </Card>
      ) : null}
      {list.data && items.length
        ? groups.map((g) =>
            g.items.length ? (
              <Card key={g.key} title={`${g.title}（${g.items.length}）`} id={`sr-mine-${g.key}`}>
                {g.items.map((r) => {
                  const last = r.timeline[r.timeline.length - 1]
                  return (
                    <SrRow
                      key={r.id}
                      item={r}
                      id={`sr-mine-item-${r.id}`}
                      onClick={() => open(withQuery(routes.srDetail, { communityId: r.communityId, requestId: r.id }))}
                    >
                      {last ? (
                        <View>
                          <Text className='hint'>
                            最新：{srActionLabels[last.action]} · {formatDateTime(last.at)}
                            {r.mine ? '' : ' · 我关注的'}
                          </Text>
                        </View>
                      ) : null}
                    </SrRow>
                  )
                })}
              </Card>
            ) : null,
          )
        : null}
      {member ? (
        <View className='mt'>
          <ActionButton id='sr-mine-file' onClick={() => open(withQuery(routes.srFile, { communityId: cid }))}>
            新的报事
          </ActionButton>
        </View>
      ) : null}
    </PageShell>
  )
}
