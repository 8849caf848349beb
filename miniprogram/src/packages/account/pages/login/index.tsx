import { Suspense, lazy, useState } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { ActionButton, Card, Notice, PageShell } from '../../../../components'
import { loginWithWechatCode } from '../../../../services/api/auth'
import { errorText } from '../../../../services/http'
import { sessionStore } from '../../../../stores/session'
import { backOrHome } from '../../../../utils/routes'
import './index.scss'

/**
 * Demo login exists only in H5 demo builds. The condition is a build-time constant written inline, so
 * webpack drops the import (and the demo personas with it) from every other build.
 */
const DemoLogin =
  process.env.TARO_ENV === 'h5' && process.env.TARO_APP_DEMO === '1' ? lazy(() => import('./DemoLogin')) : null

export default function LoginPage() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const done = (displayName: string) => {
    void Taro.showToast({ title: `欢迎，${displayName}`, icon: 'none' })
    backOrHome()
  }

  /** Login with code: the same exchange for wx.login codes and demo stand-in codes. */
  const loginWithCode = async (getCode: () => Promise<string>) => {
    setBusy(true)
    setError(null)
    try {
      const code = await getCode()
      const res = await loginWithWechatCode(code)
      sessionStore.setMe(res.me)
      done(res.me.displayName)
    } catch (e) {
      setError(errorText(e))
    } finally {
      setBusy(false)
    }
  }

  const wechatLogin = () =>
    loginWithCode(async () => {
      const { code } = await Taro.login()
      return code
    })

  return (
    <PageShell>
      <Text className='title'>登录邻里</Text>
      {error ? (
        <Notice kind='error' id='login-error'>
          {error}
        </Notice>
      ) : null}

      {process.env.TARO_ENV === 'weapp' ? (
        <Card>
          <Text className='text'>使用微信身份登录。我们只用它识别您的账号；手机号需要您另外授权。</Text>
          <View className='mt'>
            <ActionButton id='login-wechat' loading={busy} onClick={() => void wechatLogin()}>
              微信一键登录
            </ActionButton>
          </View>
        </Card>
      ) : DemoLogin ? (
        <Suspense fallback={<Text className='hint'>正在加载…</Text>}>
          <DemoLogin busy={busy} onLogin={(getCode) => void loginWithCode(getCode)} />
        </Suspense>
      ) : (
        <Card>
          <Text className='text' id='login-unavailable'>
            请在微信中搜索“邻里”小程序登录使用。
          </Text>
        </Card>
      )}
    </PageShell>
  )
}
