import { View, Text } from '@tarojs/components'
import { ActionButton, Card, PageShell } from '../../components'
import { useSession } from '../../hooks/useSession'
import { open, routes } from '../../utils/routes'
import './index.scss'

/** What 服务 is for, and what this person needs before using it. */
export default function ServicesPage() {
  const { me, loggedIn } = useSession()
  const hasVerified = (me?.households ?? []).some((m) => m.state === 'verified')

  return (
    <PageShell>
      <Text className='title'>社区服务</Text>
      <Card title='服务做什么'>
        <Text className='text'>服务页汇集住户日常需要的社区服务：</Text>
        <Text className='text'>· 报事报修：公共区域或户内的维修、投诉，随时查看处理进度。</Text>
        <Text className='text'>· 志愿服务：报名社区志愿活动，记录服务时长。</Text>
        <Text className='text'>· 关爱服务：为独居老人家庭登记紧急联系人，异常时通知家属和社区。</Text>
        <Text className='hint mt'>这些服务面向已认证的住户，由物业和社区按您认证的房屋提供。</Text>
      </Card>

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
        ) : hasVerified ? (
          <Text className='text' id='services-status'>
            您的房屋已认证，可以使用面向住户的服务。
          </Text>
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
    </PageShell>
  )
}
