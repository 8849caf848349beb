import { useState } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import {
  ActionButton,
  Card,
  LinkCell,
  LoadError,
  MembershipSummary,
  MessagesEntry,
  PageShell,
  WaitingCount,
} from '../../components'
import { useRefresh } from '../../hooks/useRefresh'
import { useSession } from '../../hooks/useSession'
import { errorText } from '../../services/http'
import { sessionStore } from '../../stores/session'
import { canManageRoles, canReview, reviewCommunities } from '../../utils/roles'
import { confirm } from '../../utils/confirm'
import { open, routes } from '../../utils/routes'
import './index.scss'

export default function MePage() {
  const { me, loggedIn, loading, error } = useSession()
  const [loggingOut, setLoggingOut] = useState(false)
  useRefresh(() => sessionStore.reload())

  const logout = async () => {
    const ok = await confirm({
      title: '退出登录？',
      content: '退出后需要重新登录才能查看房屋和参与小区事务。',
      confirmText: '退出',
      danger: true,
    })
    if (!ok) return
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
      {error && !me ? (
        <LoadError
          id='me-load-error'
          message={errorText(error)}
          onRetry={() => void sessionStore.reload()}
          busy={loading}
        />
      ) : null}
      <Card>
        <Text className='title' id='me-name'>
          {me?.displayName ?? (loading ? '加载中…' : '')}
        </Text>
        <LinkCell id='me-profile' title='修改昵称' onClick={() => open(routes.profile)} />
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
          <LinkCell
            id='me-committee'
            title='审核住户绑定申请'
            value={<WaitingCount of='reviews' id='me-committee-count' label='待审核' />}
            onClick={() => open(routes.verifications)}
          />
        ) : null}
        {me && canManageRoles(me) ? (
          <LinkCell id='me-roles-manage' title='管理角色' onClick={() => open(routes.roles)} />
        ) : null}
        <LinkCell id='me-settings' title='关怀模式与设置' onClick={() => open(routes.settings)} />
      </Card>

      <ActionButton id='me-logout' variant='danger' loading={loggingOut} onClick={() => void logout()}>
        退出登录
      </ActionButton>
    </PageShell>
  )
}
