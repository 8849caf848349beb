import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Subscriptions, SubscriptionsBody } from '@linli/shared/schemas'
import { bearer, errorResponses } from '../../http'
import { notificationService } from './service'

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const notifications = notificationService(app)
  app.addHook('onRequest', app.authenticate)

  app.get(
    '/me/subscriptions',
    {
      schema: {
        tags: ['me'],
        summary:
          'Subscribe-message templates (ids for wx.requestSubscribeMessage) and how many messages each still allows',
        security: bearer,
        response: { 200: Subscriptions, ...errorResponses(401) },
      },
    },
    async (req) => notifications.subscriptions(req.user.personId),
  )

  app.post(
    '/me/subscriptions',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['me'],
        summary: 'Record the templates the user accepted in wx.requestSubscribeMessage',
        security: bearer,
        body: SubscriptionsBody,
        response: { 200: Subscriptions, ...errorResponses(400, 401) },
      },
    },
    async (req) => notifications.addAcceptances(req.user.personId, req.body.accepted),
  )
}

export default routes
