import { useEffect, useRef, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { VoteSummary } from '@linli/shared/schemas'
import { isOwnerRelation } from '@linli/shared/households/rules'
import { ActionButton, Card, Notice, PageShell, VotesWaiting } from '../../components'
import { useSession } from '../../hooks/useSession'
import { errorText } from '../../services/http'
import { groupVotes, listVotes, voteCommunities, type VoteCommunity } from '../../services/api/voting'
import { unitLabel } from '../../utils/format'
import { open, routes, withQuery } from '../../utils/routes'
import { VoteRow } from '../../packages/voting/components/VoteRow'
import './index.scss'

const CLOSED_SHOWN = 3

/** One community's votes: 表决中 / 即将开始 / 已结束 (the latest few), linking into the voting subpackage. */
function CommunityVotes({ community, votes, error }: { community: VoteCommunity; votes: VoteSummary[] | undefined; error: string | null }) {
  const cid = community.communityId
  const g = groupVotes(votes ?? [])
  const groups = [
    { key: 'open', title: '表决中', items: g.open },
    { key: 'upcoming', title: '即将开始', items: g.upcoming },
    { key: 'closed', title: '已结束', items: g.closed.slice(0, CLOSED_SHOWN) },
  ] as const
  return (
    <Card title={`${community.communityName} · 业主大会表决`} id={`deliberation-votes-${cid}`}>
      {error ? (
        <Notice kind='error' id={`deliberation-votes-${cid}-error`}>
          {error}
        </Notice>
      ) : null}
      {!votes && !error ? <Text className='hint'>正在加载…</Text> : null}
      {votes && votes.filter((v) => v.state !== 'draft').length === 0 ? (
        <Text className='hint' id={`deliberation-votes-${cid}-empty`}>
          暂无表决。业委会发布表决公告后会显示在这里。
        </Text>
      ) : null}
      {votes
        ? groups.map((grp) =>
            grp.items.length > 0 ? (
              <View key={grp.key} id={`deliberation-votes-${cid}-${grp.key}`}>
                <Text className='hint mt'>{grp.title}</Text>
                {grp.items.map((v) => (
                  <VoteRow
                    key={v.id}
                    vote={v}
                    id={`deliberation-vote-${v.id}`}
                    onClick={() => open(withQuery(routes.voteDetail, { communityId: cid, voteId: v.id }))}
                  />
                ))}
              </View>
            ) : null,
          )
        : null}
      <View className='btn-row'>
        <ActionButton id={`deliberation-votes-${cid}-all`} variant='secondary' onClick={() => open(withQuery(routes.voteList, { communityId: cid }))}>
          全部表决
        </ActionButton>
        {community.committee ? (
          <ActionButton id={`deliberation-votes-${cid}-manage`} variant='secondary' onClick={() => open(withQuery(routes.voteManage, { communityId: cid }))}>
            表决管理
          </ActionButton>
        ) : null}
      </View>
    </Card>
  )
}

/** What 议事 is for, and whether this person may take part (from their verified households). */
export default function DeliberationPage() {
  const { me, loggedIn } = useSession()
  const verified = (me?.households ?? []).filter((m) => m.state === 'verified')
  const owners = verified.filter((m) => isOwnerRelation(m.relation))
  const communities = voteCommunities(me)
  const ids = communities.map((c) => c.communityId).join(',')
  const [votes, setVotes] = useState<Record<number, { items?: VoteSummary[]; error: string | null }>>({})
  const loadVotes = () => {
    for (const c of communities) {
      listVotes(c.communityId)
        .then((items) => setVotes((s) => ({ ...s, [c.communityId]: { items, error: null } })))
        .catch((e: unknown) => setVotes((s) => ({ ...s, [c.communityId]: { items: s[c.communityId]?.items, error: errorText(e) } })))
    }
  }
  useEffect(() => {
    if (loggedIn && ids) loadVotes()
  }, [loggedIn, ids]) // eslint-disable-line react-hooks/exhaustive-deps
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current && loggedIn && ids) loadVotes()
    shown.current = true
  })

  return (
    <PageShell>
      <Text className='title'>小区议事</Text>
      <VotesWaiting id='deliberation-votes-waiting' />
      <Card title='议事做什么'>
        <Text className='text'>议事是小区公共事务的商量与决定：</Text>
        <Text className='text'>· 居民议事：就停车、绿化、加装电梯等身边事提出议题、讨论、形成意见。</Text>
        <Text className='text'>
          · 业主共同决定：使用维修资金、选聘物业等事项由业主大会表决，按专有部分面积和业主人数双重计票。
        </Text>
        <Text className='hint mt'>参与议事需要已认证的房屋；业主大会表决仅限已认证的业主和共有人。</Text>
      </Card>

      <Card title='我的参与资格' id='deliberation-eligibility'>
        {!loggedIn ? (
          <View>
            <Text className='text'>登录并认证房屋后可参与议事。</Text>
            <View className='mt'>
              <ActionButton id='deliberation-login' onClick={() => open(routes.login)}>
                登录
              </ActionButton>
            </View>
          </View>
        ) : verified.length === 0 ? (
          <View>
            <Text className='text' id='deliberation-status'>
              您还没有已认证的房屋，暂不能参与议事。
            </Text>
            <View className='mt'>
              <ActionButton id='deliberation-bind-household' onClick={() => open(routes.bindHousehold)}>
                绑定房屋
              </ActionButton>
            </View>
          </View>
        ) : (
          <View id='deliberation-status'>
            {verified.map((m) => (
              <View key={m.id} className='kv'>
                <Text className='kv__v'>{unitLabel(m.unit)}</Text>
                <Text className='hint'>{isOwnerRelation(m.relation) ? '可参与议事和表决' : '可参与议事'}</Text>
              </View>
            ))}
            {owners.length === 0 ? (
              <Text className='hint mt'>业主大会表决由业主或共有人参加；家庭成员和租户可参与讨论。</Text>
            ) : null}
          </View>
        )}
      </Card>

      {loggedIn
        ? communities.map((c) => (
            <CommunityVotes key={c.communityId} community={c} votes={votes[c.communityId]?.items} error={votes[c.communityId]?.error ?? null} />
          ))
        : null}
    </PageShell>
  )
}
