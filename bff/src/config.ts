import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { NotificationTemplate } from '@linli/shared/notifications'
import { megabytes, PHOTO_MAX_BYTES } from '@linli/shared/photos'

/**
 * Every setting comes from the environment and is checked once at start: a missing or bad variable stops the
 * process with a message naming it. Development conveniences (fixed keys, the WeChat stand-in, demo login)
 * are refused in production so they cannot be switched on by accident.
 */
const EnvSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('test'), Type.Literal('production')], {
    default: 'development',
  }),
  HOST: Type.String({ default: '127.0.0.1' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  DATABASE_URL: Type.String({ pattern: '^mysql://', default: 'mysql://linli:linli@127.0.0.1:3306/linli' }),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  REDIS_URL: Type.String({ pattern: '^rediss?://', default: 'redis://127.0.0.1:6379/0' }),
  REDIS_PREFIX: Type.String({ pattern: '^[A-Za-z0-9_:.-]*$', default: 'linli:' }),
  JWT_KEYS: Type.String({ minLength: 1, default: 'dev1:development-only-jwt-secret-do-not-use-in-prod' }),
  JWT_ACTIVE_KID: Type.String({ minLength: 1, default: 'dev1' }),
  ACCESS_TOKEN_TTL: Type.Integer({ minimum: 60, maximum: 86400, default: 900 }),
  REFRESH_TOKEN_TTL: Type.Integer({ minimum: 3600, maximum: 31536000, default: 2592000 }),
  DATA_KEY: Type.String({ default: DEV_DATA_KEY() }),
  WECHAT_APPID: Type.String({ minLength: 1, default: 'wxdemo0000000000' }),
  WECHAT_SECRET: Type.String({ minLength: 1, default: 'development-secret' }),
  WECHAT_API_BASE: Type.String({ pattern: '^https?://', default: 'https://api.weixin.qq.com' }),
  WECHAT_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 30000, default: 5000 }),
  WECHAT_TEMPLATE_VOTE_REMINDER: Type.String({ minLength: 1, default: 'dev-template-vote-reminder' }),
  WECHAT_TEMPLATE_VOTE_RESULT: Type.String({ minLength: 1, default: 'dev-template-vote-result' }),
  WECHAT_TEMPLATE_SR_PROGRESS: Type.String({ minLength: 1, default: 'dev-template-sr-progress' }),
  WECHAT_TEMPLATE_SR_TODO: Type.String({ minLength: 1, default: 'dev-template-sr-todo' }),
  WECHAT_TEMPLATE_SR_OVERDUE: Type.String({ minLength: 1, default: 'dev-template-sr-overdue' }),
  /** where uploaded photos are kept (the local-disk storage adapter); development default: a folder under the OS temp dir */
  UPLOAD_DIR: Type.String({ minLength: 1, default: join(tmpdir(), 'linli-uploads') }),
  /** the BFF's public origin, for absolute links handed to others (photo URLs in property webhooks) */
  PUBLIC_BASE_URL: Type.String({ pattern: '^https?://[^/]+$', default: 'http://127.0.0.1:3000' }),
  DEMO_MODE: Type.Boolean({ default: false }),
  H5_DIST_DIR: Type.Optional(Type.String({ minLength: 1 })),
  RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 300 }),
  SCHEDULER_ENABLED: Type.Boolean({ default: true }),
  SCHEDULER_POLL_MS: Type.Integer({ minimum: 50, maximum: 60000, default: 1000 }),
  TRUST_PROXY: Type.Boolean({ default: false }),
  /** local development only: let property webhooks go to http:// and private / loopback addresses */
  WEBHOOK_ALLOW_PRIVATE_URLS: Type.Boolean({ default: false }),
  WEBHOOK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 30000, default: 15000 }),
  /** inbound webhook requests per integration per minute */
  WEBHOOK_RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 600 }),
})
type Env = Static<typeof EnvSchema>

function DEV_DATA_KEY() {
  return Buffer.alloc(32, 7).toString('base64')
}

export const PRODUCTION_WECHAT_BASE = 'https://api.weixin.qq.com'

export interface Config {
  env: Env['NODE_ENV']
  isProduction: boolean
  host: string
  port: number
  logLevel: Env['LOG_LEVEL']
  databaseUrl: string
  databasePoolSize: number
  redisUrl: string
  redisPrefix: string
  jwt: { keys: Map<string, string>; activeKid: string; accessTtl: number; refreshTtl: number }
  dataKey: Buffer
  wechat: {
    appid: string
    secret: string
    apiBase: string
    timeoutMs: number
    templates: Record<NotificationTemplate, string>
  }
  demoMode: boolean
  h5DistDir: string | undefined
  rateLimitMax: number
  trustProxy: boolean
  scheduler: { enabled: boolean; pollMs: number }
  uploads: { dir: string; maxBytes: number }
  publicBaseUrl: string
  webhooks: { allowPrivateUrls: boolean; timeoutMs: number; rateLimitMax: number }
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

const FLAGS = new Set(['DEMO_MODE', 'TRUST_PROXY', 'SCHEDULER_ENABLED', 'WEBHOOK_ALLOW_PRIVATE_URLS'])
const INTEGERS = new Set([
  'PORT',
  'DATABASE_POOL_SIZE',
  'ACCESS_TOKEN_TTL',
  'REFRESH_TOKEN_TTL',
  'WECHAT_TIMEOUT_MS',
  'RATE_LIMIT_MAX',
  'SCHEDULER_POLL_MS',
  'WEBHOOK_TIMEOUT_MS',
  'WEBHOOK_RATE_LIMIT_MAX',
])

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, unknown> = {}
  for (const key of Object.keys(EnvSchema.properties)) {
    const v = source[key]
    if (v === undefined || v === '') continue
    if (FLAGS.has(key)) raw[key] = v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v
    else if (INTEGERS.has(key)) raw[key] = /^-?\d+$/.test(v) ? Number(v) : v
    else raw[key] = v
  }
  // the photo limit is one number in shared/src/photos.ts, so the mini-program can tell residents the limit the BFF applies
  if (source.UPLOAD_MAX_BYTES)
    throw new ConfigError(
      `UPLOAD_MAX_BYTES: no longer a setting; photos are limited to ${megabytes(PHOTO_MAX_BYTES)} (PHOTO_MAX_BYTES in shared/src/photos.ts)`,
    )
  const withDefaults = Value.Default(EnvSchema, raw) as Record<string, unknown>
  const first = Value.Errors(EnvSchema, withDefaults).First()
  if (first) {
    const name = first.path.replace(/^\//, '')
    throw new ConfigError(`${name}: ${first.message} (got ${JSON.stringify(source[name] ?? null)})`)
  }
  const env = withDefaults as Env
  const isProduction = env.NODE_ENV === 'production'

  const keys = new Map<string, string>()
  for (const pair of env.JWT_KEYS.split(',')) {
    const i = pair.indexOf(':')
    const kid = pair.slice(0, i).trim()
    const secret = pair.slice(i + 1).trim()
    if (i <= 0 || !/^[A-Za-z0-9_.-]{1,32}$/.test(kid)) throw new ConfigError('JWT_KEYS: each entry must be kid:secret')
    if (secret.length < 32) throw new ConfigError(`JWT_KEYS: the secret of key "${kid}" must be at least 32 characters`)
    keys.set(kid, secret)
  }
  if (!keys.has(env.JWT_ACTIVE_KID))
    throw new ConfigError(`JWT_ACTIVE_KID: "${env.JWT_ACTIVE_KID}" is not among JWT_KEYS`)

  const dataKey = Buffer.from(env.DATA_KEY, 'base64')
  if (dataKey.length !== 32) throw new ConfigError('DATA_KEY: must be the base64 of exactly 32 bytes')

  if (isProduction) {
    // Empty counts as missing (as above): otherwise `JWT_KEYS=` would silently select the public development default.
    const unset = (name: string) => source[name] === undefined || source[name] === ''
    const devOnly: [boolean, string][] = [
      [unset('JWT_KEYS'), 'JWT_KEYS: must be set in production'],
      [unset('DATA_KEY'), 'DATA_KEY: must be set in production'],
      [unset('WECHAT_APPID'), 'WECHAT_APPID: must be set in production'],
      [unset('WECHAT_SECRET'), 'WECHAT_SECRET: must be set in production'],
      [unset('DATABASE_URL'), 'DATABASE_URL: must be set in production'],
      [unset('REDIS_URL'), 'REDIS_URL: must be set in production'],
      [unset('WECHAT_TEMPLATE_VOTE_REMINDER'), 'WECHAT_TEMPLATE_VOTE_REMINDER: must be set in production'],
      [unset('WECHAT_TEMPLATE_VOTE_RESULT'), 'WECHAT_TEMPLATE_VOTE_RESULT: must be set in production'],
      [unset('WECHAT_TEMPLATE_SR_PROGRESS'), 'WECHAT_TEMPLATE_SR_PROGRESS: must be set in production'],
      [unset('WECHAT_TEMPLATE_SR_TODO'), 'WECHAT_TEMPLATE_SR_TODO: must be set in production'],
      [unset('WECHAT_TEMPLATE_SR_OVERDUE'), 'WECHAT_TEMPLATE_SR_OVERDUE: must be set in production'],
      [unset('UPLOAD_DIR'), 'UPLOAD_DIR: must be set in production (photos must outlive the temp dir)'],
      [
        unset('PUBLIC_BASE_URL') || !env.PUBLIC_BASE_URL.startsWith('https://'),
        'PUBLIC_BASE_URL: must be set to an https:// origin in production',
      ],
      [env.DEMO_MODE, 'DEMO_MODE: demo login cannot be enabled in production'],
      [
        env.WEBHOOK_ALLOW_PRIVATE_URLS,
        'WEBHOOK_ALLOW_PRIVATE_URLS: webhooks to private addresses are for local development only',
      ],
      [env.H5_DIST_DIR !== undefined, 'H5_DIST_DIR: the demo H5 build is not served in production'],
      [
        env.WECHAT_API_BASE !== PRODUCTION_WECHAT_BASE,
        `WECHAT_API_BASE: must be ${PRODUCTION_WECHAT_BASE} in production (the stand-in is for development only)`,
      ],
    ]
    for (const [bad, message] of devOnly) if (bad) throw new ConfigError(message)
  }

  return {
    env: env.NODE_ENV,
    isProduction,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    jwt: { keys, activeKid: env.JWT_ACTIVE_KID, accessTtl: env.ACCESS_TOKEN_TTL, refreshTtl: env.REFRESH_TOKEN_TTL },
    dataKey,
    wechat: {
      appid: env.WECHAT_APPID,
      secret: env.WECHAT_SECRET,
      apiBase: env.WECHAT_API_BASE.replace(/\/$/, ''),
      timeoutMs: env.WECHAT_TIMEOUT_MS,
      templates: {
        vote_reminder: env.WECHAT_TEMPLATE_VOTE_REMINDER,
        vote_result: env.WECHAT_TEMPLATE_VOTE_RESULT,
        sr_progress: env.WECHAT_TEMPLATE_SR_PROGRESS,
        sr_todo: env.WECHAT_TEMPLATE_SR_TODO,
        sr_overdue: env.WECHAT_TEMPLATE_SR_OVERDUE,
      },
    },
    demoMode: env.DEMO_MODE,
    h5DistDir: env.H5_DIST_DIR,
    rateLimitMax: env.RATE_LIMIT_MAX,
    trustProxy: env.TRUST_PROXY,
    scheduler: { enabled: env.SCHEDULER_ENABLED, pollMs: env.SCHEDULER_POLL_MS },
    uploads: { dir: env.UPLOAD_DIR, maxBytes: PHOTO_MAX_BYTES },
    publicBaseUrl: env.PUBLIC_BASE_URL,
    webhooks: {
      allowPrivateUrls: env.WEBHOOK_ALLOW_PRIVATE_URLS,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      rateLimitMax: env.WEBHOOK_RATE_LIMIT_MAX,
    },
  }
}
