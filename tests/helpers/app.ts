import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildApp } from '@linli/bff/app'
import { loadConfig, type Config } from '@linli/bff/config'
import { createWechatStandin } from '@linli/bff/adapters/wechat/standin'
import { createDb, type Db } from '@linli/bff/db/client'
import { DataProtector } from '@linli/bff/lib/crypto'
import { createTestDatabase } from './db'
import { TEST_REDIS_URL } from './env'

export const TEST_APPID = 'wxtest0000000001'
export const TEST_SECRET = 'test-secret-for-the-standin'

export interface TestEnv {
  config: Config
  /** the environment the config was loaded from (to start a BFF process on the same database) */
  vars: Record<string, string>
  db: Db
  protector: DataProtector
  standinUrl: string
  standin: ReturnType<typeof createWechatStandin>
  /** a new BFF instance on the same database and Redis (tests of several instances) */
  newApp: (overrides?: Record<string, string>) => Promise<FastifyInstance>
  app: FastifyInstance
  close: () => Promise<void>
}

/**
 * A real BFF on a private database and Redis key prefix, with the WeChat stand-in listening on a real port.
 * Nothing of our own code is mocked.
 */
export async function startTestEnv(overrides: Record<string, string> = {}): Promise<TestEnv> {
  const database = await createTestDatabase()
  const standin = createWechatStandin({ appid: TEST_APPID, secret: TEST_SECRET })
  await new Promise<void>((resolve) => standin.listen(0, '127.0.0.1', resolve))
  const standinUrl = `http://127.0.0.1:${(standin.address() as AddressInfo).port}`
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '20',
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `t${randomBytes(4).toString('hex')}:`,
    WECHAT_APPID: TEST_APPID,
    WECHAT_SECRET: TEST_SECRET,
    WECHAT_API_BASE: standinUrl,
    JWT_KEYS: 'k1:test-key-one-0123456789abcdef0123456789,k2:test-key-two-0123456789abcdef0123456789',
    JWT_ACTIVE_KID: 'k1',
    DATA_KEY: randomBytes(32).toString('base64'),
    RATE_LIMIT_MAX: '100000',
    ...overrides,
  }
  const config = loadConfig(env)
  const apps: FastifyInstance[] = []
  const newApp = async (more: Record<string, string> = {}) => {
    const a = await buildApp(loadConfig({ ...env, ...more }))
    await a.ready()
    apps.push(a)
    return a
  }
  const app = await newApp()
  const { db, pool } = createDb(database.url, 5)
  return {
    config,
    vars: env,
    db,
    protector: new DataProtector(config.dataKey),
    standin,
    standinUrl,
    newApp,
    app,
    close: async () => {
      await Promise.all(apps.map((a) => a.close()))
      await pool.end()
      await new Promise((r) => standin.close(r))
      await database.drop()
    },
  }
}

/** What wx.login gives inside WeChat: a fresh single-use code for this openid, minted by the stand-in. */
export async function wxLoginCode(env: Pick<TestEnv, 'standinUrl'>, openid: string): Promise<string> {
  const res = await fetch(`${env.standinUrl}/__demo/code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ openid }),
  })
  return ((await res.json()) as { code: string }).code
}

export async function phoneCode(env: Pick<TestEnv, 'standinUrl'>, phone: string): Promise<string> {
  const res = await fetch(`${env.standinUrl}/__demo/phone-code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone }),
  })
  return ((await res.json()) as { code: string }).code
}

export interface Session {
  personId: number
  accessToken: string
  refreshToken: string
  /** inject as this person */
  inject: (opts: InjectOptions) => Promise<LightMyRequestResponse>
}

export async function login(env: TestEnv, openid: string, app: FastifyInstance = env.app): Promise<Session> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/wechat/login',
    payload: { code: await wxLoginCode(env, openid) },
  })
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`)
  const body = res.json() as { tokens: { accessToken: string; refreshToken: string }; me: { id: number } }
  return {
    personId: body.me.id,
    accessToken: body.tokens.accessToken,
    refreshToken: body.tokens.refreshToken,
    inject: (opts) =>
      app.inject({ ...opts, headers: { ...(opts.headers ?? {}), authorization: `Bearer ${body.tokens.accessToken}` } }),
  }
}
