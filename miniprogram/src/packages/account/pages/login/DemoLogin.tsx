import { View, Text } from '@tarojs/components'
import { demoPersonas } from '@linli/shared/demo/personas'
import { ActionButton, Card, Notice } from '../../../../components'
import { demoWechatCode } from '../../../../services/api/demo'

/**
 * Demo builds only (H5 has no wx.login): the BFF asks the local WeChat stand-in for a code for the chosen
 * openid, and the page then logs in with that code exactly as the mini-program does.
 */
export default function DemoLogin({
  busy,
  onLogin,
}: {
  busy: boolean
  onLogin: (getCode: () => Promise<string>) => void
}) {
  const loginAs = (openid: string) => onLogin(async () => (await demoWechatCode(openid)).code)
  const newUser = () => loginAs(`demo-new-${Math.random().toString(36).slice(2, 10)}`)

  return (
    <View id='login-demo'>
      <Notice kind='warn'>演示环境：选择一位演示住户登录，无需微信。</Notice>
      {demoPersonas.map((p) => (
        <Card key={p.openid}>
          <View className='persona'>
            <View className='persona__text'>
              <Text className='persona__name'>{p.displayName}</Text>
              <Text className='persona__role'>{p.role}</Text>
              <Text className='hint'>{p.hint}</Text>
            </View>
          </View>
          <View className='mt'>
            <ActionButton
              id={`login-persona-${p.openid}`}
              variant='secondary'
              disabled={busy}
              onClick={() => loginAs(p.openid)}
            >
              以{p.displayName}的身份登录
            </ActionButton>
          </View>
        </Card>
      ))}
      <Card title='新用户'>
        <Text className='hint'>以一个从未登录过的微信身份进入，体验首次绑定房屋。</Text>
        <View className='mt'>
          <ActionButton id='login-new-user' disabled={busy} onClick={newUser}>
            新用户登录
          </ActionButton>
        </View>
      </Card>
    </View>
  )
}
