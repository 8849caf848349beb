import { useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import type { VoteSummary } from '@linli/shared/schemas'
import { isOwnerRelation } from '@linli/shared/households/rules'
import { ActionButton, Card, LoadError, PageShell, VotesWaiting } from '../../components'
import { useRefresh, useReshow } from '../../hooks/useRefresh'
import { useSession } from '../../hooks/useSession'
import { errorText } from '../../services/http'
import { groupVotes, listVotes, voteCommunities, type VoteCommunity } from '../../services/api/voting'
import { unitLabel } from '../../utils/format'
import { open, routes, withQuery } from '../../utils/routes'
import { VoteRow } from '../../packages/voting/components/VoteRow'
import './index.scss'

const CLOSED_SHOWN = 3

/** One community's votes: 表决中 / 即将开始 / 已结束 (the latest few), linking into the voting subpackage. */
function CommunityVotes({
  community,
  votes,
  error,
  onRetry,
}: {
  community: VoteCommunity
  votes: VoteSummary[] | undefined
  error: string | null
  onRetry: () => void
}) {
  const cid = community.communityId
  const g = groupVotes(votes ?? [])
  const groups = [
    { key: 'open', title: '表决中', items: g.open },
    { key: 'upcoming', title: '即将开始', items: g.upcoming },
    { key: 'closed', title: '已结束', items: g.closed.slice(0, CLOSED_SHOWN) },
  ] as const
  return (
    <Card title={`${community.communityName} · 业主大会表决`} id={`deliberation-votes-${cid}`}>
      {error ? <LoadError id={`deliberation-votes-${cid}-error`} message={error} onRetry={onRetry} /> : null}
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
        <ActionButton
          id={`deliberation-votes-${cid}-all`}
          variant='secondary'
          onClick={() => open(withQuery(routes.voteList, { communityId: cid }))}
        >
          全部表决
        </ActionButton>
        {community.committee ? (
          <ActionButton
            id={`deliberation-votes-${cid}-manage`}
            variant='secondary'
            onClick={() => open(withQuery(routes.voteManage, { communityId: cid }))}
          >
            表决管理
          </ActionButton>
        ) : null}
      </View>
    </Card>
  )
}

/** 议事: the community's votes first; who may take part in one line (or how to become able to); the explainer last. */
export default function DeliberationPage() {
  const { me, loggedIn } = useSession()
  const verified = (me?.households ?? []).filter((m) => m.state === 'verified')
  const owners = verified.filter((m) => isOwnerRelation(m.relation))
  const communities = voteCommunities(me)
  const ids = communities.map((c) => c.communityId).join(',')
  const [votes, setVotes] = useState<Record<number, { items?: VoteSummary[]; error: string | null }>>({})
  const loadOne = (cid: number) =>
    listVotes(cid)
      .then((items) => setVotes((s) => ({ ...s, [cid]: { items, error: null } })))
      .catch((e: unknown) => setVotes((s) => ({ ...s, [cid]: { items: s[cid]?.items, error: errorText(e) } })))
  const loadVotes = () => Promise.all(communities.map((c) => loadOne(c.communityId)))
  useRefresh(() => (loggedIn && ids ? loadVotes() : undefined))
  // biome-ignore lint/correctness/useExhaustiveDependencies: reruns only when the inputs listed change; the loader is redefined each render
  useEffect(() => {
    if (loggedIn && ids) void loadVotes()
  }, [loggedIn, ids])
  useReshow(() => (loggedIn && ids ? loadVotes() : undefined))

  const canTakePart = loggedIn && verified.length > 0

  return (
    <PageShell>
      <Text className='title'>小区议事</Text>
      <VotesWaiting id='deliberation-votes-waiting' />

      {canTakePart ? (
        <Text className='hint deliberation-status' id='deliberation-status'>
          {verified
            .map((m) => `${unitLabel(m.unit)}（${isOwnerRelation(m.relation) ? '可参与议事和表决' : '可参与议事'}）`)
            .join('；')}
          {owners.length === 0 ? '。业主大会表决由业主或共有人参加；家庭成员和租户可参与讨论。' : ''}
        </Text>
      ) : (
        <Card title='参与议事' id='deliberation-eligibility'>
          {!loggedIn ? (
            <View>
              <Text className='text'>登录并认证房屋后可参与议事。</Text>
              <View className='mt'>
                <ActionButton id='deliberation-login' onClick={() => open(routes.login)}>
                  登录
                </ActionButton>
              </View>
            </View>
          ) : (
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
          )}
        </Card>
      )}

      {loggedIn
        ? communities.map((c) => (
            <CommunityVotes
              key={c.communityId}
              community={c}
              votes={votes[c.communityId]?.items}
              error={votes[c.communityId]?.error ?? null}
              onRetry={() => void loadOne(c.communityId)}
            />
          ))
        : null}

      <HowItWorks />
    </PageShell>
  )
}

/** What 议事 is for, folded below the content: a reader who wants it opens it. */
function HowItWorks() {
  const [open, setOpen] = useState(false)
  return (
    <Card title='议事怎么进行' id='deliberation-about'>
      {open ? (
        <View>
          <Text className='text'>
            业主共同决定：使用维修资金、选聘物业等事项由业委会发起业主大会表决，按专有部分面积和业主人数双重计票（民法典
            第二百七十八条）。参加表决需要已认证的业主或共有人身份。
          </Text>
          <Text className='text mt'>
            居民议事：就停车、绿化、加装电梯等身边事提出议题、附议、讨论并形成意见。这项功能即将上线。
          </Text>
        </View>
      ) : null}
      <ActionButton id='deliberation-about-toggle' variant='plain' onClick={() => setOpen(!open)}>
        {open ? '收起' : '展开说明'}
      </ActionButton>
    </Card>
  )
}
