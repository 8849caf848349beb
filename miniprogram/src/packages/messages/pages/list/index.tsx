import { useEffect, useRef, useState } from 'react'
import Taro, { useReachBottom } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { InboxMessage, Me } from '@linli/shared/schemas'
import { ActionButton, Card, EmptyState, LoadError, PageShell } from '../../../../components'
import { listMessages, markAllMessagesRead, markMessageRead } from '../../../../services/api/messages'
import { errorText } from '../../../../services/http'
import { useSession } from '../../../../hooks/useSession'
import { useRefresh, useReshow } from '../../../../hooks/useRefresh'
import { useTodo } from '../../../../hooks/useTodo'
import { todoStore } from '../../../../stores/todo'
import { open, routes, withQuery } from '../../../../utils/routes'
import { MessageList, WaitingList, type WaitingKey } from '../../components/MessageList'
import './index.scss'

const PAGE = 20

/** Where each waiting thing is done; the request handling page opens on a community the person supervises. */
function waitingPage(key: WaitingKey, me: Me | null): string {
  switch (key) {
    case 'votes':
      return routes.deliberation
    case 'requestsToConfirm':
      return routes.srMine
    case 'reviews':
      return routes.verifications
    case 'requestsToHandle':
      return withQuery(routes.srHandle, { communityId: me?.roles[0]?.communityId })
  }
}

/**
 * 消息: everything sent to the person, newest first, whether or not WeChat delivered it as a subscribe message
 * (a resident who refused one still finds it here), and what waits for them now. Tapping a message marks it
 * read and opens the page it is about.
 */
export default function MessagesPage() {
  const { me, loggedIn } = useSession({ requireLogin: true })
  const todo = useTodo()
  const [items, setItems] = useState<InboxMessage[] | null>(null)
  const [cursor, setCursor] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)
  const [moreError, setMoreError] = useState<string | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const [markingAll, setMarkingAll] = useState(false)
  const seq = useRef(0)

  const load = async () => {
    const id = ++seq.current
    setLoading(true)
    setError(null)
    try {
      const page = await listMessages(null, PAGE)
      if (id !== seq.current) return
      setItems(page.items)
      setCursor(page.nextCursor)
      setMoreError(null)
      todoStore.setUnread(page.unread)
    } catch (e) {
      if (id === seq.current) setError(errorText(e))
    } finally {
      if (id === seq.current) setLoading(false)
    }
  }

  const loadMore = async () => {
    if (cursor === null || loadingMore || !items) return
    setLoadingMore(true)
    setMoreError(null)
    try {
      const page = await listMessages(cursor, PAGE)
      setItems((prev) => [...(prev ?? []), ...page.items.filter((m) => !(prev ?? []).some((p) => p.id === m.id))])
      setCursor(page.nextCursor)
      todoStore.setUnread(page.unread)
    } catch (e) {
      setMoreError(errorText(e))
    } finally {
      setLoadingMore(false)
    }
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: reruns only when the inputs listed change; the loader is redefined each render
  useEffect(() => {
    if (loggedIn) void load()
  }, [loggedIn])
  // back from the page a message opened: what was read there shows as read; new messages appear
  useReshow(() => (loggedIn ? load() : undefined))
  useRefresh(() => Promise.all([load(), todoStore.refresh()]))
  useReachBottom(() => void loadMore())

  const openMessage = (m: InboxMessage) => {
    if (m.readAt === null) {
      const readAt = new Date().toISOString()
      setItems((prev) => prev?.map((p) => (p.id === m.id ? { ...p, readAt } : p)) ?? prev)
      markMessageRead(m.id)
        .then((r) => todoStore.setUnread(r.unread))
        .catch(() => undefined)
    }
    open(`/${m.page}`)
  }

  const readAll = async () => {
    setMarkingAll(true)
    try {
      const r = await markAllMessagesRead()
      const readAt = new Date().toISOString()
      setItems((prev) => prev?.map((p) => (p.readAt ? p : { ...p, readAt })) ?? prev)
      todoStore.setUnread(r.unread)
    } catch (e) {
      void Taro.showToast({ title: errorText(e), icon: 'none' })
    } finally {
      setMarkingAll(false)
    }
  }

  const unread = todo?.unreadMessages ?? items?.filter((m) => m.readAt === null).length ?? 0

  return (
    <PageShell className='messages'>
      <View className='messages__head'>
        <Text className='title' id='msg-title'>
          消息
        </Text>
        {unread > 0 ? (
          <View className='messages__read-all'>
            <ActionButton
              id='msg-read-all'
              variant='secondary'
              block={false}
              loading={markingAll}
              onClick={() => void readAll()}
            >
              全部已读
            </ActionButton>
          </View>
        ) : null}
      </View>

      {todo ? <WaitingList todo={todo} onGo={(key) => open(waitingPage(key, me))} /> : null}

      {error ? <LoadError id='msg-load-error' message={error} busy={loading} onRetry={() => void load()} /> : null}
      {items === null && !error ? <Text className='hint'>正在加载…</Text> : null}

      {items && items.length === 0 ? (
        <Card>
          <EmptyState
            id='msg-empty'
            title='还没有消息'
            description='报事进度、表决提醒和结果公示都会发到这里。没有开启微信通知，也能在这里看到。'
          />
        </Card>
      ) : null}

      {items && items.length > 0 ? (
        <Card>
          <MessageList items={items} onOpen={openMessage} />
          {moreError ? (
            <LoadError id='msg-more-error' message={moreError} busy={loadingMore} onRetry={() => void loadMore()} />
          ) : null}
          {cursor !== null && !moreError ? (
            <View className='mt'>
              <ActionButton id='msg-more' variant='plain' loading={loadingMore} onClick={() => void loadMore()}>
                加载更早的消息
              </ActionButton>
            </View>
          ) : null}
          {cursor === null ? (
            <Text className='hint messages__end' id='msg-end'>
              没有更早的消息了。消息保存 180 天。
            </Text>
          ) : null}
        </Card>
      ) : null}
    </PageShell>
  )
}
