import { useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import type { VoteSummary } from '@linli/shared/schemas'
import { cutText } from '@linli/shared/text'
import {
  ActionButton,
  Card,
  CareModeChip,
  CareModeOffer,
  EmptyState,
  LoadError,
  MembershipSummary,
  MessagesBell,
  PageShell,
  ReviewsWaiting,
} from '../../components'
import { useRefresh, useReshow } from '../../hooks/useRefresh'
import { errorText } from '../../services/http'
import { useSession } from '../../hooks/useSession'
import { formatDateTime, greeting } from '../../utils/format'
import { open, routes, withQuery } from '../../utils/routes'
import { listVotes, voteCommunities } from '../../services/api/voting'
import { listNotices } from '../../services/api/notices'
import type { Notice as CommunityNotice } from '@linli/shared/schemas/webhooks'
import { VoteRow } from '../../packages/voting/components/VoteRow'
import { canReview, reviewCommunities } from '../../utils/roles'
import './index.scss'

/** Open votes of the person's communities (best effort: the card just stays hidden on failure). */
function useOpenVotes(
  me: Parameters<typeof voteCommunities>[0],
  loggedIn: boolean,
): { votes: VoteSummary[]; load: () => Promise<void> } {
  const ids = voteCommunities(me).map((c) => c.communityId)
  const key = ids.join(',')
  const [votes, setVotes] = useState<VoteSummary[]>([])
  const load = async () => {
    if (!loggedIn || ids.length === 0) return setVotes([])
    const lists = await Promise.all(ids.map((cid) => listVotes(cid).catch(() => [] as VoteSummary[])))
    setVotes(lists.flat().filter((v) => v.state === 'open'))
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: reruns only when the inputs listed change; the loader is redefined each render
  useEffect(() => void load(), [loggedIn, key])
  useReshow(load)
  return { votes, load }
}

/** The latest notices of the person's communities (best effort, like the votes card). */
function useNotices(
  me: Parameters<typeof voteCommunities>[0],
  loggedIn: boolean,
): { notices: (CommunityNotice & { communityName: string })[]; load: () => Promise<void> } {
  const communities = voteCommunities(me)
  const key = communities.map((c) => c.communityId).join(',')
  const [notices, setNotices] = useState<(CommunityNotice & { communityName: string })[]>([])
  const load = async () => {
    if (!loggedIn || communities.length === 0) return setNotices([])
    const lists = await Promise.all(
      communities.map((c) =>
        listNotices(c.communityId).then(
          (list) => list.map((n) => ({ ...n, communityName: c.communityName })),
          () => [],
        ),
      ),
    )
    setNotices(
      lists
        .flat()
        .sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : -1))
        .slice(0, 5),
    )
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: reruns only when the inputs listed change; the loader is redefined each render
  useEffect(() => void load(), [loggedIn, key])
  return { notices, load }
}

function NoticeItem({ notice }: { notice: CommunityNotice & { communityName: string } }) {
  const [open, setOpen] = useState(false)
  const short = cutText(notice.body, 80)
  const long = short !== notice.body
  return (
    <View className='notice-item' id={`home-notice-${notice.id}`} onClick={() => setOpen(!open)}>
      <Text className='notice-item__title'>{notice.title}</Text>
      <Text className='hint'>
        {notice.propertyCompanyName ?? '业委会'} · {notice.communityName}
        {notice.buildings?.length ? ` · ${notice.buildings.join('、')}` : ''} · {formatDateTime(notice.publishedAt)}
      </Text>
      <Text className='text'>{open || !long ? notice.body : `${short}（点击展开）`}</Text>
    </View>
  )
}

export default function HomePage() {
  const { me, loggedIn, loading, error, reload } = useSession()
  const { votes: openVotes, load: loadVotes } = useOpenVotes(me, loggedIn)
  const { notices, load: loadNotices } = useNotices(me, loggedIn)
  useRefresh(() => Promise.all([reload(), loadVotes(), loadNotices()]))

  if (!loggedIn) {
    return (
      <PageShell>
        <View className='page-head'>
          <Text className='title' id='home-greeting'>
            {greeting()}，欢迎来到邻里
          </Text>
          <CareModeChip />
        </View>
        <CareModeOffer />
        <Card title='邻里是什么'>
          <Text className='text'>
            邻里帮助小区居民参与公共事务：绑定并认证您的房屋后，可以参与小区议事、使用社区服务。
          </Text>
          <View className='mt'>
            <ActionButton id='home-login' onClick={() => open(routes.login)}>
              登录
            </ActionButton>
          </View>
        </Card>
      </PageShell>
    )
  }

  const households = me?.households ?? []
  const verified = households.filter((m) => m.state === 'verified')
  const pending = households.filter((m) => m.state === 'pending')
  const reviews = me ? reviewCommunities(me) : []

  return (
    <PageShell>
      <View className='page-head'>
        <Text className='title' id='home-greeting'>
          {greeting()}
          {me ? `，${me.displayName}` : ''}
        </Text>
        <MessagesBell />
        <CareModeChip />
      </View>
      <CareModeOffer />

      {error && !me ? (
        <LoadError id='home-error' message={errorText(error)} onRetry={() => void reload()} busy={loading} />
      ) : null}

      {me ? (
        <Card title='我的房屋' id='home-household-status'>
          {households.length === 0 ? (
            <EmptyState title='您还没有绑定房屋' description='绑定并通过认证后，即可参与小区议事、使用社区服务。'>
              <ActionButton id='home-bind-household' onClick={() => open(routes.bindHousehold)}>
                绑定房屋
              </ActionButton>
            </EmptyState>
          ) : (
            <View>
              <Text className='hint' id='home-household-summary'>
                {verified.length > 0
                  ? `已认证 ${verified.length} 套房屋`
                  : pending.length > 0
                    ? '您的申请正在审核中，业委会或社区工作者核对名册后会处理'
                    : '您的申请未通过，可查看原因后重新申请'}
              </Text>
              <MembershipSummary items={households} idPrefix='home-household' />
              <View className='btn-row'>
                <ActionButton id='home-households' variant='secondary' onClick={() => open(routes.households)}>
                  管理房屋
                </ActionButton>
                <ActionButton id='home-bind-household' variant='secondary' onClick={() => open(routes.bindHousehold)}>
                  绑定其他房屋
                </ActionButton>
              </View>
            </View>
          )}
        </Card>
      ) : loading ? (
        <Text className='hint'>正在加载…</Text>
      ) : null}

      {me && openVotes.length > 0 ? (
        <Card title='正在进行的业主大会表决' id='home-votes'>
          {openVotes.map((v) => (
            <VoteRow
              key={v.id}
              vote={v}
              id={`home-vote-${v.id}`}
              onClick={() => open(withQuery(routes.voteDetail, { communityId: v.communityId, voteId: v.id }))}
            />
          ))}
        </Card>
      ) : null}

      {me && notices.length > 0 ? (
        <Card title='社区公告' id='home-notices'>
          {notices.map((n) => (
            <NoticeItem key={n.id} notice={n} />
          ))}
        </Card>
      ) : null}

      {me && canReview(me) ? (
        <Card title='审核工作' id='home-committee'>
          <Text className='hint'>
            {reviews.length > 0 ? reviews.map((r) => `${r.communityName}·${r.roleLabel}`).join('、') : '平台管理员'}
          </Text>
          <ReviewsWaiting id='home-committee-waiting' />
          <View className='mt'>
            <ActionButton id='home-committee-review' onClick={() => open(routes.verifications)}>
              审核住户绑定申请
            </ActionButton>
          </View>
        </Card>
      ) : null}

      {me && !me.phoneMasked ? (
        <Card title='绑定手机号'>
          <Text className='text'>业主和共有人绑定与名册一致的手机号后，房屋可自动认证，无需等待审核。</Text>
          <View className='mt'>
            <ActionButton id='home-bind-phone' variant='secondary' onClick={() => open(routes.phone)}>
              绑定手机号
            </ActionButton>
          </View>
        </Card>
      ) : null}
    </PageShell>
  )
}
