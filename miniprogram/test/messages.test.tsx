import { describe, expect, it, vi } from 'vitest'
import type { InboxMessage, Todo } from '@linli/shared/schemas'
import { messagePages } from '@linli/shared/notifications'
import { MessageList, WaitingList } from '../src/packages/messages/components/MessageList'
import { TodoCount } from '../src/components'
import { badgeText, TAB_INDEX, tabCounts } from '../src/stores/todo'
import { routes } from '../src/utils/routes'
import { plainText } from '../src/utils/format'
import { mountPerTest } from './dom'

const dom = mountPerTest()
const { $, click } = dom

const msg = (id: number, readAt: string | null, title = `消息${id}`): InboxMessage => ({
  id,
  template: 'sr_progress',
  title,
  body: '「户内维修」报事：已受理。',
  page: messagePages.serviceRequest(1, 40 + id),
  createdAt: '2026-12-01T01:05:00.000Z',
  readAt,
})
const none: Todo = {
  votes: 0,
  requestsToConfirm: 0,
  reviews: 0,
  requestsToHandle: 0,
  escalations: 0,
  unreadMessages: 0,
}

describe('消息: the list', () => {
  it('marks unread messages with a dot and a bold title, shows body and time, and opens the one tapped', () => {
    const onOpen = vi.fn()
    dom.render(
      <MessageList items={[msg(2, null, '报事进度：受理'), msg(1, '2026-12-01T02:00:00.000Z')]} onOpen={onOpen} />,
    )
    const unread = $('#msg-2')!
    expect(unread.getAttribute('data-unread')).toBe('true')
    expect(unread.className).toContain('msg--unread')
    expect(unread.querySelector('.msg__dot')).not.toBeNull()
    expect(unread.querySelector('.msg__title')!.textContent).toBe('报事进度：受理')
    expect(unread.querySelector('.msg__body')!.textContent).toBe('「户内维修」报事：已受理。')
    expect(plainText(unread.querySelector('.msg__time')!.textContent!)).toMatch(/^2026-12-01 \d\d:05$/)
    expect(unread.querySelector('.msg__go')!.textContent).toContain('未读')
    const read = $('#msg-1')!
    expect(read.getAttribute('data-unread')).toBe('false')
    expect(read.querySelector('.msg__dot')).toBeNull()
    // newest first, as given
    expect([...dom.host.querySelectorAll('.msg')].map((e) => e.id)).toEqual(['msg-2', 'msg-1'])
    click('#msg-1')
    expect(onOpen).toHaveBeenCalledWith(
      expect.objectContaining({ id: 1, page: 'packages/services/pages/detail/index?communityId=1&requestId=41' }),
    )
  })

  it('lists only what waits, each leading to where it is done', () => {
    const onGo = vi.fn()
    dom.render(
      <WaitingList
        todo={{ ...none, votes: 1, reviews: 3, requestsToHandle: 2, escalations: 1, unreadMessages: 9 }}
        onGo={onGo}
      />,
    )
    expect([...dom.host.querySelectorAll('[id^="msg-waiting-"]')].map((e) => e.id)).toEqual([
      'msg-waiting-votes',
      'msg-waiting-reviews',
      'msg-waiting-requestsToHandle',
    ])
    expect($('#msg-waiting-reviews .todo-count')!.textContent).toBe('3')
    expect($('#msg-waiting-requestsToHandle')!.textContent).toContain('其中 1 件已超时')
    click('#msg-waiting-reviews')
    expect(onGo).toHaveBeenCalledWith('reviews')
  })

  it('shows nothing when nothing waits', () => {
    dom.render(<WaitingList todo={{ ...none, unreadMessages: 4 }} onGo={() => undefined} />)
    expect($('#msg-waiting')).toBeNull()
  })

  it('draws a count only when there is one, capped at 99+', () => {
    dom.render(
      <>
        <TodoCount n={0} id='zero' />
        <TodoCount n={7} id='seven' label='条未读消息' />
        <TodoCount n={120} id='many' />
      </>,
    )
    expect($('#zero')).toBeNull()
    expect($('#seven')!.textContent).toBe('7')
    expect($('#seven')!.getAttribute('aria-label')).toBe('7 条未读消息')
    expect($('#many')!.textContent).toBe('99+')
  })
})

describe('the tab badges', () => {
  it('puts votes on 议事, requests on 服务, reviews and messages on 我的', () => {
    expect(
      tabCounts({ votes: 2, requestsToConfirm: 1, requestsToHandle: 3, escalations: 1, reviews: 4, unreadMessages: 5 }),
    ).toEqual({ deliberation: 2, services: 4, me: 9 })
    expect(tabCounts(null)).toEqual({ deliberation: 0, services: 0, me: 0 })
    expect([1, 99, 100].map(badgeText)).toEqual(['1', '99', '99+'])
  })

  it('knows the tab bar’s order, and every page a message opens is a registered page', async () => {
    ;(globalThis as { defineAppConfig?: (c: unknown) => unknown }).defineAppConfig = (c) => c
    const config = (await import('../src/app.config')).default as unknown as {
      tabBar: { list: { pagePath: string }[] }
      subPackages: { root: string; pages: string[] }[]
    }
    const tabs = config.tabBar.list.map((t) => `/${t.pagePath}`)
    expect(tabs[TAB_INDEX.home]).toBe(routes.home)
    expect(tabs[TAB_INDEX.deliberation]).toBe(routes.deliberation)
    expect(tabs[TAB_INDEX.services]).toBe(routes.services)
    expect(tabs[TAB_INDEX.me]).toBe(routes.me)
    const registered = new Set(config.subPackages.flatMap((p) => p.pages.map((page) => `${p.root}/${page}`)))
    expect(registered.has(routes.messages.slice(1))).toBe(true)
    for (const page of [
      messagePages.serviceRequest(1, 2),
      messagePages.voteDetail(1, 2),
      messagePages.voteResults(1, 2),
    ]) {
      expect(registered.has(page.split('?')[0]!), page).toBe(true)
    }
  })
})
