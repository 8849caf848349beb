import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import { AppError } from '../errors'
import { notFoundHandler } from './error-handler'

/**
 * Counters live in Redis so limits hold across BFF instances. If Redis is down, requests pass (skipOnError):
 * losing a counter must not take the product down.
 */
export default fp(
  async (app) => {
    await app.register(rateLimit, {
      global: true,
      max: app.config.rateLimitMax,
      timeWindow: '1 minute',
      redis: app.redis,
      nameSpace: 'rl:',
      skipOnError: true,
      allowList: (req) => req.url === '/healthz' || req.url === '/readyz',
      errorResponseBuilder: (_req, ctx) =>
        new AppError('RATE_LIMITED', `rate limit exceeded, retry in ${ctx.after}`, { retryAfter: ctx.after }),
    })
    // Unknown routes count too: scanners should not get unlimited probes.
    app.setNotFoundHandler({ preHandler: app.rateLimit() }, notFoundHandler)
  },
  { name: 'rate-limit', dependencies: ['redis', 'config'] },
)
