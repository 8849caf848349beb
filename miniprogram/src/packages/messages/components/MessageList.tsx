import { View, Text } from '@tarojs/components'
import type { InboxMessage, Todo } from '@linli/shared/schemas'
import { Card, TodoCount } from '../../../components'
import { formatDateTime } from '../../../utils/format'

/** One message: unread ones carry a red dot and a bold title; the whole row opens what it is about. */
export function MessageRow({ message, onOpen }: { message: InboxMessage; onOpen: (m: InboxMessage) => void }) {
  const unread = message.readAt === null
  return (
    <View
      className={`msg${unread ? ' msg--unread' : ''}`}
      id={`msg-${message.id}`}
      data-unread={unread ? 'true' : 'false'}
      hoverClass='msg--hover'
      onClick={() => onOpen(message)}
    >
      <View className='msg__head'>
        {unread ? <Text className='msg__dot' aria-label='未读' /> : null}
        <Text className='msg__title'>{message.title}</Text>
      </View>
      <Text className='msg__body'>{message.body}</Text>
      <View className='msg__foot'>
        <Text className='msg__time'>{formatDateTime(message.createdAt)}</Text>
        <Text className='msg__go'>{unread ? '未读 · 查看' : '查看'} ›</Text>
      </View>
    </View>
  )
}

export function MessageList({ items, onOpen }: { items: InboxMessage[]; onOpen: (m: InboxMessage) => void }) {
  return (
    <View className='msg-list' id='msg-list'>
      {items.map((m) => (
        <MessageRow key={m.id} message={m} onOpen={onOpen} />
      ))}
    </View>
  )
}

export type WaitingKey = 'votes' | 'requestsToConfirm' | 'reviews' | 'requestsToHandle'

/** What waits for the person (待办), one row per kind that is not zero; each leads where it is done. */
export function WaitingList({ todo, onGo }: { todo: Todo; onGo: (key: WaitingKey) => void }) {
  const rows: { key: WaitingKey; title: string; n: number; note?: string }[] = [
    { key: 'votes', title: '业主大会表决待投票', n: todo.votes },
    { key: 'requestsToConfirm', title: '报修已处理，待您确认评价', n: todo.requestsToConfirm },
    { key: 'reviews', title: '住户绑定申请待审核', n: todo.reviews },
    {
      key: 'requestsToHandle',
      title: '报事待处理',
      n: todo.requestsToHandle,
      note: todo.escalations ? `其中 ${todo.escalations} 件已超时` : undefined,
    },
  ]
  const shown = rows.filter((r) => r.n > 0)
  if (shown.length === 0) return null
  return (
    <Card title='等您处理' id='msg-waiting'>
      {shown.map((r) => (
        <View
          key={r.key}
          className='cell waiting'
          id={`msg-waiting-${r.key}`}
          hoverClass='cell--hover'
          onClick={() => onGo(r.key)}
        >
          <View className='waiting__text'>
            <Text className='cell__title'>{r.title}</Text>
            {r.note ? <Text className='waiting__note'>{r.note}</Text> : null}
          </View>
          <View className='cell__right'>
            <TodoCount n={r.n} />
            <Text className='cell__arrow'>›</Text>
          </View>
        </View>
      ))}
    </Card>
  )
}
