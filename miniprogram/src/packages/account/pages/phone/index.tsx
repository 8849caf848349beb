import { Suspense, lazy, useState } from 'react'
import { View, Text } from '@tarojs/components'
import type { BaseEventOrig, ButtonProps } from '@tarojs/components'
import { ActionButton, Card, LoadError, Notice, PageShell } from '../../../../components'
import { bindPhone } from '../../../../services/api/me'
import { errorText } from '../../../../services/http'
import { useSession } from '../../../../hooks/useSession'
import { sessionStore } from '../../../../stores/session'
import { backOrHome } from '../../../../utils/routes'
import './index.scss'

/** H5 demo builds only; a build-time constant, so other builds contain no demo code. */
const DemoPhoneForm =
  process.env.TARO_ENV === 'h5' && process.env.TARO_APP_DEMO === '1' ? lazy(() => import('./DemoPhoneForm')) : null

export default function PhonePage() {
  const { me, loading, error: loadError } = useSession({ requireLogin: true })
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState(false)

  const bindWithCode = async (getCode: () => Promise<string>) => {
    setBusy(true)
    setError(null)
    try {
      const updated = await bindPhone(await getCode())
      sessionStore.setMe(updated)
      setDone(true)
    } catch (e) {
      setError(errorText(e))
    } finally {
      setBusy(false)
    }
  }

  // weapp: the code from <Button openType="getPhoneNumber">
  const onGetPhoneNumber = (e: BaseEventOrig<ButtonProps.onGetPhoneNumberEventDetail>) => {
    const code = (e.detail as { code?: string }).code
    if (!code) {
      setError('您没有授权手机号，可稍后再试。')
      return
    }
    void bindWithCode(async () => code)
  }

  return (
    <PageShell>
      {loadError && !me ? (
        <LoadError
          id='phone-load-error'
          message={errorText(loadError)}
          onRetry={() => void sessionStore.reload()}
          busy={loading}
        />
      ) : null}
      <Card title='当前手机号'>
        <Text className='text' id='phone-current'>
          {me ? (me.phoneMasked ?? '未绑定') : loading ? '正在加载…' : ''}
        </Text>
        <Text className='hint mt'>
          手机号用于与业主名册核对：业主和共有人的手机号与名册一致时，房屋可自动认证。他人只能看到打码后的号码。
        </Text>
      </Card>

      {error ? (
        <Notice kind='error' id='phone-error'>
          {error}
        </Notice>
      ) : null}
      {done ? (
        <Notice kind='success' id='phone-result'>
          手机号已绑定：{me?.phoneMasked ?? ''}
        </Notice>
      ) : null}

      {process.env.TARO_ENV === 'weapp' ? (
        <ActionButton id='phone-wechat' openType='getPhoneNumber' loading={busy} onGetPhoneNumber={onGetPhoneNumber}>
          {me?.phoneMasked ? '更换为微信绑定的手机号' : '使用微信绑定的手机号'}
        </ActionButton>
      ) : DemoPhoneForm ? (
        <Suspense fallback={<Text className='hint'>正在加载…</Text>}>
          <DemoPhoneForm busy={busy} onCode={(getCode) => void bindWithCode(getCode)} onInvalid={setError} />
        </Suspense>
      ) : (
        <Notice kind='info' id='phone-unavailable'>
          请在微信小程序中绑定手机号。
        </Notice>
      )}

      {done ? (
        <View className='mt'>
          <ActionButton id='phone-back' variant='secondary' onClick={backOrHome}>
            返回
          </ActionButton>
        </View>
      ) : null}
    </PageShell>
  )
}
