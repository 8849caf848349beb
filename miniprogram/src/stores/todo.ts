import Taro from '@tarojs/taro'
import type { Todo } from '@linli/shared/schemas'
import { getTodo } from '../services/api/messages'
import { sessionStore } from './session'

/**
 * What waits for the signed-in person (待办) and their unread messages, shared by every page, and the tab bar's
 * red badges drawn from it. Tab pages refresh it each time they show (hooks/useTodo); logging out clears it.
 */
type Listener = (t: Todo | null) => void
let todo: Todo | null = null
const listeners = new Set<Listener>()
let inflight: Promise<Todo | null> | null = null
/** bumped by clear(): an answer that arrives after logging out is dropped */
let generation = 0

/** The tab bar's order in app.config.ts (checked by the tests). */
export const TAB_INDEX = { home: 0, deliberation: 1, services: 2, me: 3 } as const

/** Which tab shows which waiting things: votes on 议事, requests on 服务, reviews and messages on 我的. */
export function tabCounts(t: Todo | null): Record<'deliberation' | 'services' | 'me', number> {
  if (!t) return { deliberation: 0, services: 0, me: 0 }
  return { deliberation: t.votes, services: t.requestsToConfirm + t.requestsToHandle, me: t.unreadMessages + t.reviews }
}

/** WeChat shows at most 4 characters in a tab badge. */
export const badgeText = (n: number): string => (n > 99 ? '99+' : String(n))

/**
 * Draws the badges. WeChat refuses tab bar calls while a non-tab page is showing; the next tab page to show
 * draws them again, so a refusal is simply dropped.
 */
function drawBadges(t: Todo | null): void {
  const counts = tabCounts(t)
  for (const tab of ['deliberation', 'services', 'me'] as const) {
    const index = TAB_INDEX[tab]
    const n = counts[tab]
    const done = n > 0 ? Taro.setTabBarBadge({ index, text: badgeText(n) }) : Taro.removeTabBarBadge({ index })
    void Promise.resolve(done).catch(() => undefined)
  }
}

function set(next: Todo | null): void {
  todo = next
  drawBadges(next)
  for (const l of listeners) l(next)
}

export const todoStore = {
  get: (): Todo | null => todo,
  subscribe(l: Listener): () => void {
    listeners.add(l)
    return () => listeners.delete(l)
  },
  /** Ask the BFF again (one request at a time). A failed refresh keeps what was shown. */
  refresh(): Promise<Todo | null> {
    if (!sessionStore.isLoggedIn()) {
      if (todo) set(null)
      return Promise.resolve(null)
    }
    if (inflight) return inflight
    const gen = generation
    inflight = getTodo()
      .then((t) => {
        if (gen === generation) set(t)
        return t
      })
      .catch(() => todo)
      .finally(() => {
        inflight = null
      })
    return inflight
  },
  /** After marking messages read: the new unread count, without another request. */
  setUnread(unreadMessages: number): void {
    if (todo && todo.unreadMessages !== unreadMessages) set({ ...todo, unreadMessages })
  },
  clear(): void {
    generation++
    inflight = null
    set(null)
  },
}

// logging in fetches the badges; logging out (or a session that expired) takes them away at once
let wasLoggedIn = sessionStore.isLoggedIn()
sessionStore.subscribe(() => {
  const loggedIn = sessionStore.isLoggedIn()
  if (loggedIn && !wasLoggedIn) void todoStore.refresh()
  if (!loggedIn && wasLoggedIn) todoStore.clear()
  wasLoggedIn = loggedIn
})
