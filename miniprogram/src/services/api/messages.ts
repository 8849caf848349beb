import type { InboxPage, Todo, UnreadCount } from '@linli/shared/schemas'
import { http } from '../http'

/** 消息 and 待办 (shared/src/schemas/messages.ts): always the signed-in person's own. */

/** Newest first; pass the previous page's nextCursor for older ones. */
export function listMessages(cursor?: number | null, limit = 20): Promise<InboxPage> {
  return http.request<InboxPage>('/me/messages', { query: { limit, cursor: cursor ?? undefined } })
}

export function markMessageRead(id: number): Promise<UnreadCount> {
  return http.request<UnreadCount>(`/me/messages/${id}/read`, { method: 'POST' })
}

export function markAllMessagesRead(): Promise<UnreadCount> {
  return http.request<UnreadCount>('/me/messages/read-all', { method: 'POST' })
}

/** What waits for the person now, and the unread count: for the red dots. */
export function getTodo(): Promise<Todo> {
  return http.request<Todo>('/me/todo')
}
