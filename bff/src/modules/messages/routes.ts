import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { Id, InboxPage, InboxQuery, Todo, UnreadCount } from '@linli/shared/schemas'
import { bearer, errorResponses } from '../../http'
import { messageService } from './service'

const MessageParams = Type.Object({ messageId: Id }, { additionalProperties: false })

/** The signed-in person's own 消息 and 待办: no id of another person is ever taken. */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const messages = messageService(app)
  const tags = ['messages']
  app.addHook('onRequest', app.authenticate)

  app.get(
    '/me/messages',
    {
      schema: {
        tags,
        summary: 'My messages, newest first (cursor paging); kept whether or not WeChat delivered them',
        security: bearer,
        querystring: InboxQuery,
        response: { 200: InboxPage, ...errorResponses(400, 401) },
      },
    },
    async (req) => messages.list(req.user.personId, req.query),
  )

  app.get(
    '/me/messages/unread-count',
    {
      schema: {
        tags,
        summary: 'How many of my messages are unread',
        security: bearer,
        response: { 200: UnreadCount, ...errorResponses(401) },
      },
    },
    async (req) => messages.unreadCount(req.user.personId),
  )

  app.post(
    '/me/messages/:messageId/read',
    {
      schema: {
        tags,
        summary: 'Mark one of my messages read (again is fine)',
        security: bearer,
        params: MessageParams,
        response: { 200: UnreadCount, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => messages.markRead(req.user.personId, req.params.messageId),
  )

  app.post(
    '/me/messages/read-all',
    {
      schema: {
        tags,
        summary: 'Mark all my messages read',
        security: bearer,
        response: { 200: UnreadCount, ...errorResponses(401) },
      },
    },
    async (req) => messages.markAllRead(req.user.personId),
  )

  app.get(
    '/me/todo',
    {
      schema: {
        tags,
        summary: 'What waits for my action now (待办) and my unread messages: for the red dots of the tabs',
        description:
          'Computed from the records, not from the messages: open votes I may still vote in (as owner or proxy), my resolved requests to confirm, and for committee members and community workers the applications to review and the requests to handle or overdue, in their communities only.',
        security: bearer,
        response: { 200: Todo, ...errorResponses(401) },
      },
    },
    async (req) => messages.todo(req.user.personId),
  )
}

export default routes
