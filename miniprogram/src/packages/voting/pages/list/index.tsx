import { useEffect } from 'react'
import { View, Text } from '@tarojs/components'
import type { VoteSummary } from '@linli/shared/schemas'
import { ActionButton, Card, EmptyState, LoadError, PageShell } from '../../../../components'
import { groupVotes, listVotes } from '../../../../services/api/voting'
import { useAsync } from '../../../../hooks/useAsync'
import { useRefresh, useReshow } from '../../../../hooks/useRefresh'
import { useSession } from '../../../../hooks/useSession'
import { open, routes, withQuery } from '../../../../utils/routes'
import { CommunityPicker, VoteRow } from '../../components'
import { useVoteCommunity } from '../../lib/useVoteCommunity'
import './index.scss'

const GROUPS = [
  { key: 'open', title: '表决中', empty: '目前没有正在进行的表决' },
  { key: 'upcoming', title: '即将开始', empty: '没有已公告、待开始的表决' },
  { key: 'closed', title: '已结束', empty: '还没有已结束的表决' },
] as const

/** The community's votes: 表决中 / 即将开始 / 已结束 (drafts, for the committee, under 表决管理). */
export default function VoteListPage() {
  const { me } = useSession({ requireLogin: true })
  const { communities, current, pick } = useVoteCommunity(me)
  const list = useAsync<VoteSummary[]>()
  const cid = current?.communityId ?? null

  const load = () => (cid === null ? undefined : list.run(() => listVotes(cid)))
  // biome-ignore lint/correctness/useExhaustiveDependencies: reruns only when the inputs listed change; the loader is redefined each render
  useEffect(() => void load(), [cid])
  useReshow(load)
  useRefresh(load)

  const groups = groupVotes(list.data ?? [])
  const committee = !!current?.committee

  return (
    <PageShell>
      <Text className='title' id='vote-list-title'>
        {current?.communityName ? `${current.communityName} · ` : ''}业主大会表决
      </Text>
      <CommunityPicker communities={communities} currentId={cid} onPick={pick} />

      {me && !current ? (
        <Card>
          <EmptyState
            id='vote-list-no-community'
            title='暂无可参与的表决'
            description='认证房屋后，可查看所在小区的业主大会表决。'
          >
            <ActionButton onClick={() => open(routes.bindHousehold)}>绑定房屋</ActionButton>
          </EmptyState>
        </Card>
      ) : null}

      {committee ? (
        <Card title='业委会'>
          <Text className='hint'>发起表决、发布公告、查看实时参与情况、公示结果。</Text>
          <View className='mt'>
            <ActionButton
              id='vote-manage-link'
              variant='secondary'
              onClick={() => open(withQuery(routes.voteManage, { communityId: cid }))}
            >
              表决管理
            </ActionButton>
          </View>
        </Card>
      ) : null}

      {list.error ? (
        <LoadError id='vote-list-error' message={list.error} busy={list.loading} onRetry={() => void load()} />
      ) : null}
      {list.loading && !list.data ? <Text className='hint'>正在加载…</Text> : null}

      {list.data
        ? GROUPS.map((g) => (
            <Card key={g.key} title={`${g.title}（${groups[g.key].length}）`} id={`vote-list-group-${g.key}`}>
              {groups[g.key].length === 0 ? (
                <Text className='hint'>{g.empty}</Text>
              ) : (
                groups[g.key].map((v) => (
                  <VoteRow
                    key={v.id}
                    vote={v}
                    id={`vote-list-item-${v.id}`}
                    onClick={() => open(withQuery(routes.voteDetail, { communityId: v.communityId, voteId: v.id }))}
                  />
                ))
              )}
            </Card>
          ))
        : null}
      <Text className='hint'>业主大会表决按专有部分面积和业主人数双重计票，依据《民法典》第二百七十八条。</Text>
    </PageShell>
  )
}
