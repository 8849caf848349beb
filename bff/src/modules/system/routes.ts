import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { sql } from 'drizzle-orm'

const Health = Type.Object({ status: Type.String() })
const Ready = Type.Object({
  status: Type.String(),
  checks: Type.Object({ database: Type.String(), redis: Type.String() }),
})

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))])

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    { logLevel: 'warn', schema: { tags: ['system'], summary: 'The process is up', response: { 200: Health } } },
    async () => ({ status: 'ok' }),
  )

  app.get(
    '/readyz',
    {
      logLevel: 'warn',
      schema: {
        tags: ['system'],
        summary: 'Database and Redis reachable (503 otherwise)',
        response: { 200: Ready, 503: Ready },
      },
    },
    async (_req, reply) => {
      const [database, redis] = await Promise.all([
        withTimeout(app.db.execute(sql`SELECT 1`), 2000).then(
          () => 'ok',
          (e: Error) => `down: ${e.message}`,
        ),
        withTimeout(app.redis.ping(), 2000).then(
          () => 'ok',
          (e: Error) => `down: ${e.message}`,
        ),
      ])
      const ok = database === 'ok' && redis === 'ok'
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not ready', checks: { database, redis } })
    },
  )
}

export default routes
