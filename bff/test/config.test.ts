import { describe, expect, it } from 'vitest'
import { ConfigError, PRODUCTION_WECHAT_BASE, loadConfig } from '../src/config'
import { PHOTO_MAX_BYTES } from '@linli/shared/photos'

const KEY32 = Buffer.alloc(32, 1).toString('base64')
const SECRET = 'a-production-secret-that-is-long-enough-0123'

/** A complete, valid production environment; each refusal test breaks exactly one thing. */
const production = (): Record<string, string | undefined> => ({
  NODE_ENV: 'production',
  DATABASE_URL: 'mysql://linli:pw@db.internal:3306/linli',
  REDIS_URL: 'rediss://cache.internal:6380/0',
  JWT_KEYS: `p1:${SECRET}`,
  JWT_ACTIVE_KID: 'p1',
  DATA_KEY: KEY32,
  WECHAT_APPID: 'wx1234567890abcdef',
  WECHAT_SECRET: 'real-wechat-secret',
  WECHAT_TEMPLATE_VOTE_REMINDER: 'tmpl-reminder-id',
  WECHAT_TEMPLATE_VOTE_RESULT: 'tmpl-result-id',
  WECHAT_TEMPLATE_SR_PROGRESS: 'tmpl-sr-progress-id',
  WECHAT_TEMPLATE_SR_TODO: 'tmpl-sr-todo-id',
  WECHAT_TEMPLATE_SR_OVERDUE: 'tmpl-sr-overdue-id',
  UPLOAD_DIR: '/var/lib/linli/uploads',
  PUBLIC_BASE_URL: 'https://api.linli.example',
})

/** The error loadConfig throws for `env`, or a failure when it does not throw a ConfigError. */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env)
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return err as ConfigError
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`)
}

describe('loadConfig: development defaults', () => {
  it('runs with an empty environment', () => {
    const c = loadConfig({})
    expect(c).toMatchObject({
      env: 'development',
      isProduction: false,
      host: '127.0.0.1',
      port: 3000,
      logLevel: 'info',
      databaseUrl: 'mysql://linli:linli@127.0.0.1:3306/linli',
      databasePoolSize: 10,
      redisUrl: 'redis://127.0.0.1:6379/0',
      redisPrefix: 'linli:',
      demoMode: false,
      h5DistDir: undefined,
      rateLimitMax: 300,
      trustProxy: false,
    })
    expect(c.jwt.activeKid).toBe('dev1')
    expect([...c.jwt.keys.keys()]).toEqual(['dev1'])
    expect(c.jwt.accessTtl).toBe(900)
    expect(c.jwt.refreshTtl).toBe(2592000)
    expect(c.dataKey).toHaveLength(32)
    expect(c.wechat).toEqual({
      appid: 'wxdemo0000000000',
      secret: 'development-secret',
      apiBase: PRODUCTION_WECHAT_BASE,
      timeoutMs: 5000,
      templates: {
        vote_reminder: 'dev-template-vote-reminder',
        vote_result: 'dev-template-vote-result',
        sr_progress: 'dev-template-sr-progress',
        sr_todo: 'dev-template-sr-todo',
        sr_overdue: 'dev-template-sr-overdue',
      },
    })
    expect(c.scheduler).toEqual({ enabled: true, pollMs: 1000 })
    expect(c.uploads).toEqual({ dir: expect.stringContaining('linli-uploads'), maxBytes: 5 * 1024 * 1024 })
    expect(c.publicBaseUrl).toBe('http://127.0.0.1:3000')
  })

  it('keeps the photo limit in one place: UPLOAD_MAX_BYTES is refused with a message naming the limit', () => {
    expect(loadConfig({}).uploads.maxBytes).toBe(PHOTO_MAX_BYTES)
    expect(() => loadConfig({ UPLOAD_MAX_BYTES: '2048' })).toThrow(
      /UPLOAD_MAX_BYTES: no longer a setting; photos are limited to 5 MB/,
    )
  })

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', LOG_LEVEL: '', DEMO_MODE: '' })).toMatchObject({
      port: 3000,
      logLevel: 'info',
      demoMode: false,
    })
  })

  it('reads numbers, flags, several JWT keys and strips a trailing slash from the WeChat base', () => {
    const c = loadConfig({
      PORT: '8080',
      DEMO_MODE: 'true',
      TRUST_PROXY: '1',
      JWT_KEYS: `a:${SECRET}, b:${SECRET}-2`,
      JWT_ACTIVE_KID: 'b',
      WECHAT_API_BASE: 'http://127.0.0.1:4010/',
      H5_DIST_DIR: '/srv/h5',
    })
    expect(c.port).toBe(8080)
    expect(c.demoMode).toBe(true)
    expect(c.trustProxy).toBe(true)
    expect(c.jwt.keys.get('a')).toBe(SECRET)
    expect(c.jwt.keys.get('b')).toBe(`${SECRET}-2`)
    expect(c.jwt.activeKid).toBe('b')
    expect(c.wechat.apiBase).toBe('http://127.0.0.1:4010')
    expect(c.h5DistDir).toBe('/srv/h5')
    expect(loadConfig({ DEMO_MODE: 'false', TRUST_PROXY: '0' })).toMatchObject({ demoMode: false, trustProxy: false })
  })

  it('decodes DATA_KEY to its 32 bytes', () => {
    expect(loadConfig({ DATA_KEY: KEY32 }).dataKey.equals(Buffer.alloc(32, 1))).toBe(true)
  })
})

describe('loadConfig: a bad value stops with a message that starts with its name', () => {
  const cases: [string, Record<string, string>][] = [
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: '-1' }],
    ['PORT', { PORT: '80.5' }],
    ['DATABASE_URL', { DATABASE_URL: 'postgres://linli:linli@127.0.0.1:5432/linli' }],
    ['DATABASE_POOL_SIZE', { DATABASE_POOL_SIZE: '0' }],
    ['REDIS_URL', { REDIS_URL: 'http://127.0.0.1:6379' }],
    ['REDIS_PREFIX', { REDIS_PREFIX: 'has space' }],
    ['JWT_KEYS', { JWT_KEYS: 'k1:short' }],
    ['JWT_KEYS', { JWT_KEYS: `k1:${SECRET},k2:tooshort`, JWT_ACTIVE_KID: 'k1' }],
    ['JWT_KEYS', { JWT_KEYS: SECRET }],
    ['JWT_KEYS', { JWT_KEYS: `:${SECRET}` }],
    ['JWT_ACTIVE_KID', { JWT_KEYS: `k1:${SECRET}`, JWT_ACTIVE_KID: 'k2' }],
    ['JWT_ACTIVE_KID', { JWT_KEYS: `k1:${SECRET}` }],
    ['ACCESS_TOKEN_TTL', { ACCESS_TOKEN_TTL: '10' }],
    ['DATA_KEY', { DATA_KEY: Buffer.alloc(16, 1).toString('base64') }],
    ['DATA_KEY', { DATA_KEY: Buffer.alloc(33, 1).toString('base64') }],
    ['DATA_KEY', { DATA_KEY: 'not-base64-at-all' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['NODE_ENV', { NODE_ENV: 'staging' }],
    ['DEMO_MODE', { DEMO_MODE: 'maybe' }],
    ['DEMO_MODE', { DEMO_MODE: 'yes' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'on' }],
    ['WECHAT_API_BASE', { WECHAT_API_BASE: 'ftp://example.com' }],
    ['WECHAT_TIMEOUT_MS', { WECHAT_TIMEOUT_MS: 'soon' }],
  ]

  it.each(cases)('%s (%j)', (name, env) => {
    const err = configError(env)
    expect(err.name).toBe('ConfigError')
    expect(err.message.startsWith(`${name}:`), err.message).toBe(true)
  })

  it('quotes the value it got', () => {
    expect(configError({ PORT: 'abc' }).message).toContain('"abc"')
    expect(configError({ LOG_LEVEL: 'loud' }).message).toContain('"loud"')
  })

  it('never echoes a JWT secret', () => {
    expect(configError({ JWT_KEYS: 'k1:short-secret-xyz' }).message).not.toContain('short-secret-xyz')
  })
})

describe('loadConfig: production', () => {
  it('accepts a complete production environment', () => {
    const c = loadConfig(production())
    expect(c.isProduction).toBe(true)
    expect(c.env).toBe('production')
    expect(c.demoMode).toBe(false)
    expect(c.databaseUrl).toBe('mysql://linli:pw@db.internal:3306/linli')
    expect(c.redisUrl).toBe('rediss://cache.internal:6380/0')
    expect(c.wechat.apiBase).toBe(PRODUCTION_WECHAT_BASE)
    expect(c.wechat.appid).toBe('wx1234567890abcdef')
    expect(c.jwt.keys.get('p1')).toBe(SECRET)
    expect(c.dataKey.equals(Buffer.alloc(32, 1))).toBe(true)
  })

  it('accepts the production WeChat base when written out explicitly', () => {
    expect(loadConfig({ ...production(), WECHAT_API_BASE: 'https://api.weixin.qq.com' }).wechat.apiBase).toBe(
      PRODUCTION_WECHAT_BASE,
    )
  })

  const required = [
    'JWT_KEYS',
    'DATA_KEY',
    'WECHAT_APPID',
    'WECHAT_SECRET',
    'DATABASE_URL',
    'REDIS_URL',
    'WECHAT_TEMPLATE_VOTE_REMINDER',
    'WECHAT_TEMPLATE_VOTE_RESULT',
    'WECHAT_TEMPLATE_SR_PROGRESS',
    'WECHAT_TEMPLATE_SR_TODO',
    'WECHAT_TEMPLATE_SR_OVERDUE',
    'UPLOAD_DIR',
    'PUBLIC_BASE_URL',
  ] as const
  it.each(required)('refuses to start without %s', (name) => {
    const env = production()
    delete env[name]
    if (name === 'JWT_KEYS') delete env.JWT_ACTIVE_KID
    const err = configError(env)
    expect(err.message.startsWith(`${name}:`), err.message).toBe(true)
  })

  it.each(required)('treats an empty %s as missing, so the development default is never used in production', (name) => {
    const env = { ...production(), [name]: '' }
    if (name === 'JWT_KEYS') env.JWT_ACTIVE_KID = ''
    const err = configError(env)
    expect(err.message.startsWith(`${name}:`), err.message).toBe(true)
  })

  it('refuses DEMO_MODE', () => {
    expect(configError({ ...production(), DEMO_MODE: 'true' }).message).toMatch(/^DEMO_MODE:/)
    expect(configError({ ...production(), DEMO_MODE: '1' }).message).toMatch(/^DEMO_MODE:/)
    expect(loadConfig({ ...production(), DEMO_MODE: 'false' }).demoMode).toBe(false)
  })

  it('refuses H5_DIST_DIR', () => {
    expect(configError({ ...production(), H5_DIST_DIR: '/srv/h5' }).message).toMatch(/^H5_DIST_DIR:/)
  })

  it.each([
    'http://127.0.0.1:4010',
    'http://api.weixin.qq.com',
    'https://api.weixin.qq.com.evil.example',
    'https://standin.example.com',
  ])('refuses WECHAT_API_BASE=%s', (base) => {
    expect(configError({ ...production(), WECHAT_API_BASE: base }).message).toMatch(/^WECHAT_API_BASE:/)
  })

  it('still applies the ordinary checks', () => {
    expect(configError({ ...production(), JWT_KEYS: 'p1:short' }).message).toMatch(/^JWT_KEYS:/)
    expect(configError({ ...production(), DATABASE_URL: 'postgres://x' }).message).toMatch(/^DATABASE_URL:/)
  })

  it('the development conveniences are accepted outside production', () => {
    expect(
      loadConfig({
        NODE_ENV: 'test',
        DEMO_MODE: 'true',
        H5_DIST_DIR: '/srv/h5',
        WECHAT_API_BASE: 'http://127.0.0.1:4010',
      }).demoMode,
    ).toBe(true)
  })
})
