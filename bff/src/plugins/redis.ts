import fp from 'fastify-plugin'
import { Redis } from 'ioredis'

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis
  }
}

/**
 * Redis holds only what can be rebuilt (rate-limit counters, caches, locks). Commands fail fast when it is
 * down instead of queueing, so a Redis outage degrades features rather than hanging requests.
 */
export default fp(
  async (app) => {
    const redis = new Redis(app.config.redisUrl, {
      keyPrefix: app.config.redisPrefix,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectTimeout: 2000,
      lazyConnect: true,
      // commands issued in the same tick (many requests' session checks and rate-limit counters) share a write
      enableAutoPipelining: true,
    })
    redis.on('error', (err) => app.log.warn({ err: err.message }, 'redis error'))
    await redis.connect().catch((err: Error) => app.log.warn({ err: err.message }, 'redis not reachable at start'))
    app.decorate('redis', redis)
    app.addHook('onClose', async () => {
      redis.disconnect()
    })
  },
  { name: 'redis', dependencies: ['config'] },
)
