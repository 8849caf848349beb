import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import Fastify, { type FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import fastifyStatic from '@fastify/static'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from './config'
import errorHandler from './plugins/error-handler'
import dbPlugin from './plugins/db'
import redisPlugin from './plugins/redis'
import servicesPlugin from './plugins/services'
import swaggerPlugin from './plugins/swagger'
import rateLimitPlugin from './plugins/rate-limit'
import authPlugin from './plugins/auth'
import schedulerPlugin from './plugins/scheduler'
import outboxPlugin from './plugins/outbox'
import { notificationRoutes } from './modules/notifications'
import { messageRoutes } from './modules/messages'
import { registerInbox } from './modules/messages'
import { registerNotificationDelivery } from './modules/notifications'
import { systemRoutes } from './modules/system'
import { authRoutes } from './modules/auth'
import { meRoutes } from './modules/me'
import { communityRoutes } from './modules/communities'
import { householdRoutes } from './modules/households'
import { demoRoutes } from './modules/demo'
import votingRoutes from './modules/voting/routes'
import { registerVoteJobs } from './modules/voting/service'
import storagePlugin from './adapters/storage'
import serviceRequestRoutes from './modules/service-requests/routes'
import { photoRoutes } from './modules/photos'
import { registerPhotoJobs } from './modules/photos'
import { registerServiceRequests } from './modules/service-requests/service'
import { registerWebhooks, webhookApiRoutes } from './modules/webhooks/plugin'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
  }
}

export const API_PREFIX = '/api/v1'

/** The whole application as one instance; server.ts listens, tests inject or listen on port 0. */
export async function buildApp(config: Config, opts: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: config.logLevel,
            redact: {
              paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["webhook-signature"]'],
              censor: '[redacted]',
            },
          },
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('config', config)
  await app.register(fp(async () => undefined, { name: 'config' }))
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id)
  })

  await app.register(errorHandler)
  await app.register(dbPlugin)
  await app.register(redisPlugin)
  await app.register(servicesPlugin)
  await app.register(swaggerPlugin)
  await app.register(rateLimitPlugin)
  await app.register(authPlugin)
  await app.register(schedulerPlugin)
  await app.register(outboxPlugin)
  await app.register(storagePlugin)
  registerNotificationDelivery(app)
  registerInbox(app)
  registerVoteJobs(app)
  registerServiceRequests(app)
  registerPhotoJobs(app)

  await app.register(systemRoutes)
  await registerWebhooks(app)
  await app.register(
    async (api) => {
      await api.register(authRoutes)
      await api.register(meRoutes)
      await api.register(communityRoutes)
      await api.register(householdRoutes)
      await api.register(votingRoutes)
      await api.register(photoRoutes)
      await api.register(serviceRequestRoutes)
      await api.register(notificationRoutes)
      await api.register(messageRoutes)
      await api.register(webhookApiRoutes)
      if (config.demoMode && !config.isProduction) await api.register(demoRoutes)
    },
    { prefix: API_PREFIX },
  )

  // Demo only: serve the H5 build of the mini-program from the same origin as the API.
  if (config.demoMode && !config.isProduction && config.h5DistDir) {
    if (!existsSync(config.h5DistDir))
      throw new Error(`H5_DIST_DIR: ${config.h5DistDir} does not exist (build the H5 app first)`)
    await app.register(fastifyStatic, { root: config.h5DistDir, prefix: '/', wildcard: false, index: ['index.html'] })
  }

  return app
}
