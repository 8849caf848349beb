import type { AddressInfo } from 'node:net'
import { eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { communities } from '@linli/bff/db/schema'
import { DEMO_PROPERTY_INTEGRATION_ID, DEMO_PROPERTY_SECRET, seedDemo } from '@linli/bff/db/seed-demo'
import { createPropertyStandin, type PropertyStandin } from '@linli/bff/adapters/property/standin'
import { startTestEnv, TEST_APPID, type TestEnv } from './app'
import { H5_DIST } from './h5'

export interface DemoWithProperty {
  env: TestEnv
  bff: FastifyInstance
  origin: string
  standin: PropertyStandin
  standinUrl: string
  /** 阳光花园 */
  communityId: number
  close: () => Promise<void>
}

/**
 * The demo as start.sh runs it, for an end-to-end test: a BFF in demo mode serving the H5 build on a real port,
 * and the property company's system — the stand-in holding the demo integration's id and development secret,
 * the integration's outbound URL pointing at it — on the seeded 阳光花园.
 */
export async function startDemoWithProperty(): Promise<DemoWithProperty> {
  const env = await startTestEnv({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', SCHEDULER_POLL_MS: '300' })
  const bff = await env.newApp({
    DEMO_MODE: 'true',
    H5_DIST_DIR: H5_DIST,
    SCHEDULER_POLL_MS: '300',
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  })
  await bff.listen({ host: '127.0.0.1', port: 0 })
  const origin = `http://127.0.0.1:${(bff.server.address() as AddressInfo).port}`
  const standin = createPropertyStandin({
    bffBaseUrl: origin,
    integrationId: DEMO_PROPERTY_INTEGRATION_ID,
    secret: DEMO_PROPERTY_SECRET,
  })
  await new Promise<void>((r) => standin.listen(0, '127.0.0.1', r))
  const standinUrl = `http://127.0.0.1:${(standin.address() as AddressInfo).port}`
  await seedDemo(env.db, env.protector, TEST_APPID, { propertyStandinUrl: `${standinUrl}/webhooks` })
  const [c] = await env.db.select().from(communities).where(eq(communities.name, '阳光花园'))
  return {
    env,
    bff,
    origin,
    standin,
    standinUrl,
    communityId: c!.id,
    close: async () => {
      await new Promise<void>((r) => standin.close(() => r()))
      await env.close()
    },
  }
}
