import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { ActionButton, Card, PageShell, Toggle } from '../../../../components'
import { careModeStore } from '../../../../stores/careMode'
import { sessionStore } from '../../../../stores/session'
import { useSession } from '../../../../hooks/useSession'
import { backOrHome } from '../../../../utils/routes'
import { confirm } from '../../../../utils/confirm'
import './index.scss'

export default function SettingsPage() {
  const { loggedIn } = useSession()
  const [care, setCare] = useState(() => careModeStore.get())
  const [loggingOut, setLoggingOut] = useState(false)

  useEffect(() => careModeStore.subscribe(() => setCare(careModeStore.get())), [])

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
      backOrHome()
    } finally {
      setLoggingOut(false)
    }
  }

  return (
    <PageShell>
      <Card title='关怀模式'>
        <Toggle
          id='care-mode-switch'
          label='关怀模式（大字体）'
          description='更大的文字、更高的按钮和更清晰的对比度'
          checked={care.on}
          onChange={(on) => careModeStore.set(on ? 'on' : 'off')}
        />
        <Text className='hint' id='care-mode-source'>
          {care.setting === null ? '当前跟随微信字体大小设置' : care.on ? '已手动开启' : '已手动关闭'}
        </Text>
        {care.setting !== null ? (
          <View className='mt'>
            <ActionButton id='care-mode-follow-system' variant='secondary' onClick={() => careModeStore.set(null)}>
              恢复跟随微信字体设置
            </ActionButton>
          </View>
        ) : null}
        <View className='mt'>
          <Text className='text'>示例：业主大会表决结果将于公示期结束后在小区公告栏公布。</Text>
        </View>
      </Card>

      {loggedIn ? (
        <ActionButton id='settings-logout' variant='danger' loading={loggingOut} onClick={() => void logout()}>
          退出登录
        </ActionButton>
      ) : null}
    </PageShell>
  )
}
