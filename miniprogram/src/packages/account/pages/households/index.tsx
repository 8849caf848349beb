import { useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { Membership } from '@linli/shared/schemas'
import { relationLabels } from '@linli/shared/households/rules'
import { ActionButton, Card, EmptyState, Notice, PageShell, StateBadge } from '../../../../components'
import { listMyMemberships, withdrawMembership } from '../../../../services/api/memberships'
import { errorText } from '../../../../services/http'
import { useAsync } from '../../../../hooks/useAsync'
import { useSession } from '../../../../hooks/useSession'
import { sessionStore } from '../../../../stores/session'
import { formatDateTime, unitLabel } from '../../../../utils/format'
import { open, routes } from '../../../../utils/routes'
import './index.scss'

const methodLabels = { roster_phone: '手机号与业主名册一致，自动认证', committee_review: '业委会/社区审核' } as const

export default function HouseholdsPage() {
  useSession({ requireLogin: true })
  const list = useAsync<Membership[]>()
  const [confirming, setConfirming] = useState<number | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const load = () => void list.run(listMyMemberships)
  useDidShow(() => {
    if (sessionStore.isLoggedIn()) load()
  })

  const withdraw = async (m: Membership) => {
    setBusy(true)
    setError(null)
    try {
      await withdrawMembership(m.id)
      setConfirming(null)
      list.setData(list.data?.filter((x) => x.id !== m.id))
      void sessionStore.reload()
      void Taro.showToast({ title: m.state === 'verified' ? '已解除绑定' : '已撤回申请', icon: 'none' })
    } catch (e) {
      setError(errorText(e))
    } finally {
      setBusy(false)
    }
  }

  const items = list.data ?? []

  return (
    <PageShell>
      {list.error ? (
        <Notice kind='error' id='households-error'>
          {list.error}
        </Notice>
      ) : null}
      {error ? (
        <Notice kind='error' id='households-action-error'>
          {error}
        </Notice>
      ) : null}
      {list.loading && !list.data ? <Text className='hint'>正在加载…</Text> : null}

      {list.data && items.length === 0 ? (
        <Card>
          <EmptyState id='households-empty' title='还没有绑定房屋' description='绑定并通过认证后，即可参与小区议事、使用社区服务。' />
        </Card>
      ) : null}

      {items.map((m) => (
        <Card key={m.id} id={`household-${m.id}`} title={unitLabel(m.unit)} extra={<StateBadge state={m.state} id={`household-${m.id}-state`} />}>
          <View className='kv'>
            <Text className='kv__k'>关系</Text>
            <Text className='kv__v'>{relationLabels[m.relation]}</Text>
          </View>
          <View className='kv'>
            <Text className='kv__k'>申请时间</Text>
            <Text className='kv__v'>{formatDateTime(m.createdAt)}</Text>
          </View>
          {m.state === 'verified' && m.method ? (
            <View className='kv'>
              <Text className='kv__k'>认证方式</Text>
              <Text className='kv__v'>{methodLabels[m.method]}</Text>
            </View>
          ) : null}
          {m.state === 'pending' ? <Text className='hint'>业委会或社区工作者核对名册后会处理您的申请。</Text> : null}
          {m.state === 'rejected' ? (
            <Notice kind='error' id={`household-${m.id}-reason`}>
              未通过原因：{m.rejectReason ?? '未填写'}
            </Notice>
          ) : null}

          {confirming === m.id ? (
            <View className='mt' id={`household-${m.id}-confirm-panel`}>
              <Text className='text'>
                {m.state === 'verified' ? '解除后将不再是该房屋的认证住户，确定解除吗？' : '确定撤回这条申请吗？'}
              </Text>
              <View className='btn-row'>
                <ActionButton id={`household-${m.id}-withdraw-cancel`} variant='secondary' onClick={() => setConfirming(null)}>
                  取消
                </ActionButton>
                <ActionButton id={`household-${m.id}-withdraw-confirm`} variant='danger' loading={busy} onClick={() => void withdraw(m)}>
                  确定
                </ActionButton>
              </View>
            </View>
          ) : (
            <View className='mt'>
              <ActionButton id={`household-${m.id}-withdraw`} variant='danger' onClick={() => setConfirming(m.id)}>
                {m.state === 'verified' ? '解除绑定' : m.state === 'pending' ? '撤回申请' : '删除记录'}
              </ActionButton>
            </View>
          )}
        </Card>
      ))}

      <ActionButton id='households-bind' onClick={() => open(routes.bindHousehold)}>
        绑定新的房屋
      </ActionButton>
    </PageShell>
  )
}
