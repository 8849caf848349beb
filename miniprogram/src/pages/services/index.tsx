import { View, Text } from '@tarojs/components'
import { ActionButton, Card, LinkCell, PageShell, TabBadges, WaitingCount } from '../../components'
import { srCommunities } from '../../services/api/service-requests'
import { useSession } from '../../hooks/useSession'
import { open, routes, withQuery } from '../../utils/routes'
import './index.scss'

/** 服务: the services that exist, what is coming (said as coming), and what a person needs before using them. */
export default function ServicesPage() {
  const { me, loggedIn } = useSession()
  const hasVerified = (me?.households ?? []).some((m) => m.state === 'verified')
  // the pages themselves live in the packages/services subpackage: the tab only links
  const communities = loggedIn ? srCommunities(me) : []
  const first = communities.find((c) => !c.supervisor) ?? communities[0]
  const cid = first?.communityId
  const supervising = communities.filter((c) => c.supervisor)

  return (
    <PageShell>
      <Text className='title'>社区服务</Text>
      <TabBadges />
      {communities.length ? (
        <Card title='报事报修' id='services-sr'>
          {hasVerified ? (
            <LinkCell
              id='services-sr-file'
              title='报事报修'
              value='维修、投诉、建议'
              onClick={() => open(withQuery(routes.srFile, { communityId: cid }))}
            />
          ) : null}
          {hasVerified ? (
            <LinkCell
              id='services-sr-mine'
              title='我的报修'
              value={
                <WaitingCount of='requestsToConfirm' id='services-sr-mine-count' label='待确认' fallback='进度与评价' />
              }
              onClick={() => open(withQuery(routes.srMine, { communityId: cid }))}
            />
          ) : null}
          <LinkCell
            id='services-sr-board'
            title='本楼公共报修'
            value='我也遇到了'
            onClick={() => open(withQuery(routes.srBoard, { communityId: cid }))}
          />
          <LinkCell
            id='services-sr-figures'
            title='服务评价'
            value='受理、办结与满意度'
            onClick={() => open(withQuery(routes.srFigures, { communityId: cid }))}
          />
          {supervising.length ? (
            <LinkCell
              id='services-sr-handle'
              title='待处理 / 超时报事'
              value={
                <WaitingCount
                  of='requestsToHandle'
                  id='services-sr-handle-count'
                  label='待处理'
                  fallback='业委会、社区'
                />
              }
              onClick={() => open(withQuery(routes.srHandle, { communityId: supervising[0]!.communityId }))}
            />
          ) : null}
        </Card>
      ) : null}

      {loggedIn && hasVerified ? null : (
        <Card title='使用条件' id='services-eligibility'>
          {!loggedIn ? (
            <View>
              <Text className='text'>请先登录。</Text>
              <View className='mt'>
                <ActionButton id='services-login' onClick={() => open(routes.login)}>
                  登录
                </ActionButton>
              </View>
            </View>
          ) : (
            <View>
              <Text className='text' id='services-status'>
                您还没有已认证的房屋。绑定房屋并通过认证后即可使用。
              </Text>
              <View className='mt'>
                <ActionButton id='services-bind-household' onClick={() => open(routes.bindHousehold)}>
                  绑定房屋
                </ActionButton>
              </View>
            </View>
          )}
        </Card>
      )}

      <Card title='即将上线' id='services-coming'>
        <Text className='text'>志愿服务：报名社区志愿活动、记录服务时长。</Text>
        <Text className='text'>关爱服务：独居老人家中有异常时，通知家属、志愿者和社区。</Text>
        <Text className='hint mt'>这两项服务正在建设中，上线后会在这里出现。</Text>
      </Card>
    </PageShell>
  )
}
