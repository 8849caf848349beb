import { useState } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { ActionButton, Card, LinkCell, MembershipSummary, MessagesEntry, PageShell, WaitingCount } from '../../components'
import { useSession } from '../../hooks/useSession'
import { sessionStore } from '../../stores/session'
import { canReview, reviewCommunities } from '../../utils/roles'
import { open, routes } from '../../utils/routes'
import './index.scss'

export default function MePage() {
  const { me, loggedIn, loading } = useSession()
  const [loggingOut, setLoggingOut] = useState(false)

  const logout = async () => {
    setLoggingOut(true)
    try {
      await sessionStore.logout()
      void Taro.showToast({ title: '已退出登录', icon: 'none' })
    } finally {
      setLoggingOut(false)
    }
  }

  if (!loggedIn) {
    return (
      <PageShell>
        <Card title='未登录'>
          <Text className='text'>登录后可以绑定房屋、查看认证状态。</Text>
          <View className='mt'>
            <ActionButton id='me-login' onClick={() => open(routes.login)}>
              登录
            </ActionButton>
          </View>
        </Card>
        <Card>
          <LinkCell id='me-settings' title='关怀模式与设置' onClick={() => open(routes.settings)} />
        </Card>
      </PageShell>
    )
  }

  const reviews = me ? reviewCommunities(me) : []

  return (
    <PageShell>
      <Card>
        <Text className='title' id='me-name'>
          {me?.displayName ?? (loading ? '加载中…' : '')}
        </Text>
        <LinkCell
          id='me-phone'
          title='手机号'
          value={me ? (me.phoneMasked ?? '绑定手机号') : ''}
          onClick={() => open(routes.phone)}
        />
        {me && (me.roles.length > 0 || me.isPlatformAdmin) ? (
          <View className='kv' id='me-roles'>
            <Text className='kv__k'>身份</Text>
            <Text className='kv__v'>
              {[
                ...reviews.map((r) => `${r.communityName}·${r.roleLabel}`),
                ...(me.isPlatformAdmin ? ['平台管理员'] : []),
              ].join('、')}
            </Text>
          </View>
        ) : null}
      </Card>

      <MessagesEntry />

      <Card title='我的房屋'>
        {me && me.households.length > 0 ? (
          <MembershipSummary items={me.households} idPrefix='me-household' />
        ) : (
          <Text className='hint'>还没有绑定房屋</Text>
        )}
        <LinkCell id='me-households' title='管理我的房屋' onClick={() => open(routes.households)} />
        <LinkCell id='me-bind-household' title='绑定房屋' onClick={() => open(routes.bindHousehold)} />
      </Card>

      <Card>
        {me && canReview(me) ? (
          <LinkCell id='me-committee' title='审核住户绑定申请' value={<WaitingCount of='reviews' id='me-committee-count' label='待审核' />} onClick={() => open(routes.verifications)} />
        ) : null}
        <LinkCell id='me-settings' title='关怀模式与设置' onClick={() => open(routes.settings)} />
      </Card>

      <ActionButton id='me-logout' variant='danger' loading={loggingOut} onClick={() => void logout()}>
        退出登录
      </ActionButton>
    </PageShell>
  )
}
