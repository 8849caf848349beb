import { Type, type Static } from '@sinclair/typebox'
import { Id, Timestamp } from './common'
import { NotificationTemplateSchema } from './notifications'

/** One message in the person's 消息: kept whether or not WeChat delivered it as a subscribe message. */
export const InboxMessage = Type.Object({
  id: Id,
  template: NotificationTemplateSchema,
  title: Type.String(),
  body: Type.String(),
  /** the mini-program page it opens, with its query (no leading slash, as WeChat's `page`) */
  page: Type.String(),
  createdAt: Timestamp,
  /** null while unread */
  readAt: Type.Union([Timestamp, Type.Null()]),
})
export type InboxMessage = Static<typeof InboxMessage>

export const INBOX_PAGE_MAX = 50

export const InboxQuery = Type.Object(
  {
    /** the `nextCursor` of the previous page: messages older than it */
    cursor: Type.Optional(Id),
    limit: Type.Integer({ minimum: 1, maximum: INBOX_PAGE_MAX, default: 20 }),
    unread: Type.Optional(Type.Boolean({ description: 'only unread messages' })),
  },
  { additionalProperties: false },
)
export type InboxQuery = Static<typeof InboxQuery>

/** Newest first; `nextCursor` is null on the last page. */
export const InboxPage = Type.Object({
  items: Type.Array(InboxMessage),
  nextCursor: Type.Union([Id, Type.Null()]),
  unread: Type.Integer({ minimum: 0 }),
})
export type InboxPage = Static<typeof InboxPage>

export const UnreadCount = Type.Object({ unread: Type.Integer({ minimum: 0 }) })
export type UnreadCount = Static<typeof UnreadCount>

const Count = Type.Integer({ minimum: 0 })

/**
 * What waits for the person's action now (待办), computed from the records themselves (not from the inbox),
 * and the unread messages. Counts of the communities where the person holds a role are zero without one.
 */
export const Todo = Type.Object({
  /** open votes in which they may still cast a ballot, as an owner or as a proxy */
  votes: Count,
  /** their resolved requests waiting for them to confirm and rate (or reopen) */
  requestsToConfirm: Count,
  /** committee / worker: household applications waiting for review */
  reviews: Count,
  /** committee / worker: open requests they handle or that are overdue (each request once) */
  requestsToHandle: Count,
  /** committee / worker: of those, the overdue ones (escalated) */
  escalations: Count,
  unreadMessages: Count,
})
export type Todo = Static<typeof Todo>
