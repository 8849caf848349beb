import type { FastifyInstance } from 'fastify'
import { builtinInboundHandlers } from './handlers'
import { webhookInboundRoutes } from './inbound'
import { registeredInboundHandler, registerWebhookDelivery } from './service'
import webhookApiRoutes from './routes'

/**
 * Wiring of the webhooks module into the app: the outbox topic handler, the inbound endpoint (outside
 * /api/v1, its own raw-body parser), and the /api/v1 routes (notices, admin redelivery).
 */
export async function registerWebhooks(app: FastifyInstance): Promise<void> {
  registerWebhookDelivery(app)
  const builtins = builtinInboundHandlers(app)
  await app.register(
    webhookInboundRoutes({ handlerFor: (type) => builtins.get(type) ?? registeredInboundHandler(app, type) }),
  )
}

export { webhookApiRoutes }
