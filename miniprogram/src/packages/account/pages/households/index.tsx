import { useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { Membership } from '@linli/shared/schemas'
import { relationLabels } from '@linli/shared/households/rules'
import { proofKindLabels } from '@linli/shared/households/proof'
import {
  ActionButton,
  Card,
  EmptyState,
  LoadError,
  Notice,
  PageShell,
  PhotoStrip,
  StateBadge,
} from '../../../../components'
import { listMyMemberships, withdrawMembership } from '../../../../services/api/memberships'
import { errorText } from '../../../../services/http'
import { useAsync } from '../../../../hooks/useAsync'
import { useRefresh } from '../../../../hooks/useRefresh'
import { useSession } from '../../../../hooks/useSession'
import { sessionStore } from '../../../../stores/session'
import { confirm } from '../../../../utils/confirm'
import { formatDateTime, unitLabel } from '../../../../utils/format'
import { open, routes } from '../../../../utils/routes'
import './index.scss'

const methodLabels = { roster_phone: '手机号与业主名册一致，自动认证', committee_review: '业委会/社区审核' } as const

export default function HouseholdsPage() {
  useSession({ requireLogin: true })
  const list = useAsync<Membership[]>()
  const [busy, setBusy] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)

  const load = () => list.run(listMyMemberships)
  useDidShow(() => {
    if (sessionStore.isLoggedIn()) void load()
  })
  useRefresh(load)

  const withdraw = async (m: Membership) => {
    const ok = await confirm(
      m.state === 'verified'
        ? {
            title: '解除绑定？',
            content: `解除后您将不再是 ${unitLabel(m.unit)} 的认证住户，需要时可重新申请。`,
            confirmText: '解除',
            danger: true,
          }
        : m.state === 'pending'
          ? { title: '撤回申请？', content: '撤回后申请和上传的证明材料一并删除。', confirmText: '撤回', danger: true }
          : { title: '删除这条记录？', confirmText: '删除', danger: true },
    )
    if (!ok) return
    setBusy(m.id)
    setError(null)
    try {
      await withdrawMembership(m.id)
      list.setData(list.data?.filter((x) => x.id !== m.id))
      void sessionStore.reload()
      void Taro.showToast({
        title: m.state === 'verified' ? '已解除绑定' : m.state === 'pending' ? '已撤回申请' : '已删除',
        icon: 'none',
      })
    } catch (e) {
      setError(errorText(e))
    } finally {
      setBusy(null)
    }
  }

  const items = list.data ?? []

  return (
    <PageShell>
      {list.error ? (
        <LoadError id='households-error' message={list.error} onRetry={() => void load()} busy={list.loading} />
      ) : null}
      {error ? (
        <Notice kind='error' id='households-action-error'>
          {error}
        </Notice>
      ) : null}
      {list.loading && !list.data ? <Text className='hint'>正在加载…</Text> : null}

      {list.data && items.length === 0 ? (
        <Card>
          <EmptyState
            id='households-empty'
            title='还没有绑定房屋'
            description='绑定并通过认证后，即可参与小区议事、使用社区服务。'
          />
        </Card>
      ) : null}

      {items.map((m) => (
        <Card
          key={m.id}
          id={`household-${m.id}`}
          title={unitLabel(m.unit)}
          extra={<StateBadge state={m.state} id={`household-${m.id}-state`} />}
        >
          <View className='kv'>
            <Text className='kv__k'>关系</Text>
            <Text className='kv__v'>{relationLabels[m.relation]}</Text>
          </View>
          {m.statedName ? (
            <View className='kv'>
              <Text className='kv__k'>姓名</Text>
              <Text className='kv__v'>{m.statedName}</Text>
            </View>
          ) : null}
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
          {m.state === 'pending' ? (
            <View>
              {m.proof ? (
                <View className='mt'>
                  <Text className='hint'>
                    已上传{proofKindLabels[m.proof.kind]} {m.proof.photos.length} 张（仅审核人可见，审核结束后删除）
                  </Text>
                  <PhotoStrip id={`household-${m.id}-proof`} photos={m.proof.photos} />
                </View>
              ) : (
                <Text className='hint'>没有上传证明材料，业委会可能请您当面核实。</Text>
              )}
              <Text className='hint mt'>业委会或社区工作者核对名册后会处理您的申请。</Text>
            </View>
          ) : null}
          {m.state === 'rejected' ? (
            <Notice kind='error' id={`household-${m.id}-reason`}>
              未通过原因：{m.rejectReason ?? '未填写'}
            </Notice>
          ) : null}

          <View className='btn-row'>
            {m.state === 'rejected' ? (
              <ActionButton id={`household-${m.id}-again`} onClick={() => open(routes.bindHousehold)}>
                重新申请
              </ActionButton>
            ) : null}
            <ActionButton
              id={`household-${m.id}-withdraw`}
              variant={m.state === 'rejected' ? 'secondary' : 'danger'}
              loading={busy === m.id}
              onClick={() => void withdraw(m)}
            >
              {m.state === 'verified' ? '解除绑定' : m.state === 'pending' ? '撤回申请' : '删除记录'}
            </ActionButton>
          </View>
        </Card>
      ))}

      <ActionButton id='households-bind' onClick={() => open(routes.bindHousehold)}>
        绑定新的房屋
      </ActionButton>
    </PageShell>
  )
}
