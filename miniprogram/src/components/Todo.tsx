import { View, Text } from '@tarojs/components'
import { useTodo } from '../hooks/useTodo'
import { open, routes } from '../utils/routes'
import { badgeText } from '../stores/todo'
import './todo.scss'

/**
 * The red counts of what waits for the person (待办) and of unread messages, beside the entries that lead there.
 * Each one reads the shared todo store and refreshes it when its page shows, which also redraws the tab badges.
 */

/** A red count (nothing when zero). */
export function TodoCount({ n, id, label }: { n: number | undefined; id?: string; label?: string }) {
  if (!n) return null
  return (
    <Text className='todo-count' id={id} data-count={n} aria-label={label ? `${n} ${label}` : String(n)}>
      {badgeText(n)}
    </Text>
  )
}

/** 我的: the entry to 消息 with the unread count. */
export function MessagesEntry() {
  const todo = useTodo()
  const unread = todo?.unreadMessages ?? 0
  return (
    <View className='card todo-entry' id='me-messages' hoverClass='cell--hover' onClick={() => open(routes.messages)}>
      <Text className='todo-entry__title'>消息</Text>
      <View className='todo-entry__right'>
        {unread > 0 ? (
          <Text className='todo-entry__hint'>未读</Text>
        ) : (
          <Text className='todo-entry__hint'>报事进度、表决提醒</Text>
        )}
        <TodoCount n={unread} id='me-messages-unread' label='条未读消息' />
        <Text className='cell__arrow'>›</Text>
      </View>
    </View>
  )
}

/** 首页's header: a compact way to 消息, with the unread count. */
export function MessagesBell() {
  const todo = useTodo()
  const unread = todo?.unreadMessages ?? 0
  return (
    <View
      className={`todo-bell${unread > 0 ? ' todo-bell--unread' : ''}`}
      id='home-messages'
      hoverClass='todo-bell--hover'
      onClick={() => open(routes.messages)}
    >
      <Text className='todo-bell__label'>消息</Text>
      <TodoCount n={unread} id='home-messages-unread' label='条未读消息' />
    </View>
  )
}

/** 审核工作: how many applications wait, in words. */
export function ReviewsWaiting({ id }: { id?: string }) {
  const todo = useTodo()
  const n = todo?.reviews ?? 0
  if (!n) return null
  return (
    <Text className='todo-line' id={id} data-count={n}>
      有 {n} 份住户申请等待审核
    </Text>
  )
}

/** 议事: how many open votes wait for the person's ballot. */
export function VotesWaiting({ id }: { id?: string }) {
  const todo = useTodo()
  const n = todo?.votes ?? 0
  if (!n) return null
  return (
    <View className='notice notice--warn todo-notice' id={id} data-count={n}>
      <Text>有 {n} 项业主大会表决等您投票，请在截止前完成。</Text>
    </View>
  )
}

/** A waiting count for a cell's value, or `fallback` when nothing waits. */
export function WaitingCount({
  of,
  id,
  label,
  fallback,
}: {
  of: 'votes' | 'requestsToConfirm' | 'reviews' | 'requestsToHandle'
  id?: string
  label: string
  fallback?: string
}) {
  const todo = useTodo()
  const n = todo?.[of] ?? 0
  if (!n) return fallback ? <Text>{fallback}</Text> : null
  return (
    <View className='todo-waiting'>
      <Text className='todo-waiting__label'>{label}</Text>
      <TodoCount n={n} id={id} label={label} />
    </View>
  )
}

/** Nothing to see: keeps the tab badges fresh on a tab page that shows no count itself. */
export function TabBadges() {
  useTodo()
  return null
}
