import { View, Text } from '@tarojs/components'
import { isOwnerRelation } from '@linli/shared/households/rules'
import { ActionButton, Card, PageShell } from '../../components'
import { useSession } from '../../hooks/useSession'
import { unitLabel } from '../../utils/format'
import { open, routes } from '../../utils/routes'
import './index.scss'

/** What 议事 is for, and whether this person may take part (from their verified households). */
export default function DeliberationPage() {
  const { me, loggedIn } = useSession()
  const verified = (me?.households ?? []).filter((m) => m.state === 'verified')
  const owners = verified.filter((m) => isOwnerRelation(m.relation))

  return (
    <PageShell>
      <Text className='title'>小区议事</Text>
      <Card title='议事做什么'>
        <Text className='text'>议事是小区公共事务的商量与决定：</Text>
        <Text className='text'>· 居民议事：就停车、绿化、加装电梯等身边事提出议题、讨论、形成意见。</Text>
        <Text className='text'>
          · 业主共同决定：使用维修资金、选聘物业等事项由业主大会表决，按专有部分面积和业主人数双重计票。
        </Text>
        <Text className='hint mt'>参与议事需要已认证的房屋；业主大会表决仅限已认证的业主和共有人。</Text>
      </Card>

      <Card title='我的参与资格' id='deliberation-eligibility'>
        {!loggedIn ? (
          <View>
            <Text className='text'>登录并认证房屋后可参与议事。</Text>
            <View className='mt'>
              <ActionButton id='deliberation-login' onClick={() => open(routes.login)}>
                登录
              </ActionButton>
            </View>
          </View>
        ) : verified.length === 0 ? (
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
        ) : (
          <View id='deliberation-status'>
            {verified.map((m) => (
              <View key={m.id} className='kv'>
                <Text className='kv__v'>{unitLabel(m.unit)}</Text>
                <Text className='hint'>{isOwnerRelation(m.relation) ? '可参与议事和表决' : '可参与议事'}</Text>
              </View>
            ))}
            {owners.length === 0 ? (
              <Text className='hint mt'>业主大会表决由业主或共有人参加；家庭成员和租户可参与讨论。</Text>
            ) : null}
          </View>
        )}
      </Card>
    </PageShell>
  )
}
