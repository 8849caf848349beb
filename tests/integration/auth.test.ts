import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSigner } from 'fast-jwt'
import { login, startTestEnv, wxLoginCode, type TestEnv } from '../helpers/app'

let env: TestEnv
beforeAll(async () => {
  env = await startTestEnv()
})
afterAll(async () => env?.close())

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  env.app.inject({ method: 'POST', url, payload: payload as object, headers })

describe('WeChat login through the stand-in', () => {
  it('creates the person on first login and finds the same one later', async () => {
    const first = await post('/api/v1/auth/wechat/login', { code: await wxLoginCode(env, 'openid-login-1') })
    expect(first.statusCode).toBe(200)
    const body = first.json()
    expect(body.me).toMatchObject({
      displayName: expect.stringMatching(/^邻居\d{4}$/),
      phoneMasked: null,
      roles: [],
      households: [],
    })
    expect(body.tokens.expiresIn).toBe(900)
    const again = await post('/api/v1/auth/wechat/login', { code: await wxLoginCode(env, 'openid-login-1') })
    expect(again.json().me.id).toBe(body.me.id)
    // session_key never leaves the server
    expect(first.body).not.toMatch(/session_key/)
  })

  it('rejects a code that is unknown or already used', async () => {
    const code = await wxLoginCode(env, 'openid-login-2')
    expect((await post('/api/v1/auth/wechat/login', { code })).statusCode).toBe(200)
    const reused = await post('/api/v1/auth/wechat/login', { code })
    expect(reused.statusCode).toBe(400)
    expect(reused.json().error.code).toBe('WECHAT_CODE_INVALID')
    const unknown = await post('/api/v1/auth/wechat/login', { code: 'nope' })
    expect(unknown.json().error.code).toBe('WECHAT_CODE_INVALID')
  })

  it('answers 400 naming the field for a body without code', async () => {
    const res = await post('/api/v1/auth/wechat/login', {})
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('code') })
  })

  it('answers 503 WECHAT_UNAVAILABLE when WeChat cannot be reached', async () => {
    const app = await env.newApp({ WECHAT_API_BASE: 'http://127.0.0.1:9', WECHAT_TIMEOUT_MS: '500' })
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/wechat/login', payload: { code: 'whatever' } })
    expect(res.statusCode).toBe(503)
    expect(res.json().error.code).toBe('WECHAT_UNAVAILABLE')
  })
})

describe('access tokens', () => {
  it('are required, and carry the signing key id so keys can rotate', async () => {
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/me' })).json().error.code).toBe('UNAUTHENTICATED')
    const s = await login(env, 'openid-kid')
    const header = JSON.parse(Buffer.from(s.accessToken.split('.')[0]!, 'base64url').toString())
    expect(header).toMatchObject({ alg: 'HS256', kid: 'k1' })
    // A second instance that signs with k2 still accepts k1 tokens, and the first accepts k2 tokens.
    const rotated = await env.newApp({ JWT_ACTIVE_KID: 'k2' })
    expect(
      (
        await rotated.inject({
          method: 'GET',
          url: '/api/v1/me',
          headers: { authorization: `Bearer ${s.accessToken}` },
        })
      ).statusCode,
    ).toBe(200)
    const s2 = await login(env, 'openid-kid', rotated)
    expect(JSON.parse(Buffer.from(s2.accessToken.split('.')[0]!, 'base64url').toString()).kid).toBe('k2')
    expect(
      (
        await env.app.inject({
          method: 'GET',
          url: '/api/v1/me',
          headers: { authorization: `Bearer ${s2.accessToken}` },
        })
      ).statusCode,
    ).toBe(200)
  })

  it('reject unknown keys, forged signatures and expired tokens with distinct codes', async () => {
    const s = await login(env, 'openid-forge')
    const forged = createSigner({ key: 'x'.repeat(40), kid: 'k1', iss: 'linli' })({
      sub: String(s.personId),
      sid: 'abc',
    })
    const r1 = await env.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${forged}` },
    })
    expect(r1.statusCode).toBe(401)
    expect(r1.json().error.code).toBe('TOKEN_INVALID')
    const unknownKid = createSigner({ key: 'x'.repeat(40), kid: 'zz', iss: 'linli' })({
      sub: String(s.personId),
      sid: 'abc',
    })
    expect(
      (
        await env.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${unknownKid}` } })
      ).json().error.code,
    ).toBe('TOKEN_INVALID')
    const expired = createSigner({
      key: 'test-key-one-0123456789abcdef0123456789',
      kid: 'k1',
      iss: 'linli',
      expiresIn: 1000,
      clockTimestamp: Date.now() - 10_000,
    })({ sub: String(s.personId), sid: 'abc' })
    const r3 = await env.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${expired}` },
    })
    expect(r3.statusCode).toBe(401)
    expect(r3.json().error.code).toBe('TOKEN_EXPIRED')
  })
})

describe('refresh token rotation', () => {
  it('gives a new pair and makes the old refresh token single-use; reuse revokes the whole session', async () => {
    const s = await login(env, 'openid-refresh')
    const r1 = await post('/api/v1/auth/refresh', { refreshToken: s.refreshToken })
    expect(r1.statusCode).toBe(200)
    const pair = r1.json()
    expect(pair.refreshToken).not.toBe(s.refreshToken)
    // the stolen old token comes back: reuse is detected and the family dies, including the new token
    const reuse = await post('/api/v1/auth/refresh', { refreshToken: s.refreshToken })
    expect(reuse.statusCode).toBe(401)
    expect(reuse.json().error.code).toBe('REFRESH_TOKEN_REUSED')
    const next = await post('/api/v1/auth/refresh', { refreshToken: pair.refreshToken })
    expect(next.json().error.code).toBe('REFRESH_TOKEN_INVALID')
    // and the access tokens of that session stop working at once
    const me = await env.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${pair.accessToken}` },
    })
    expect(me.statusCode).toBe(401)
  })

  it('lets exactly one of two concurrent refreshes with the same token win', async () => {
    const s = await login(env, 'openid-race')
    const other = await env.newApp()
    const [a, b] = await Promise.all([
      post('/api/v1/auth/refresh', { refreshToken: s.refreshToken }),
      other.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: s.refreshToken } }),
    ])
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 401])
  })

  it('logout ends the session: refresh fails and the access token is refused', async () => {
    const s = await login(env, 'openid-logout')
    expect((await s.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200)
    expect((await post('/api/v1/auth/logout', { refreshToken: s.refreshToken })).statusCode).toBe(204)
    expect((await post('/api/v1/auth/refresh', { refreshToken: s.refreshToken })).json().error.code).toBe(
      'REFRESH_TOKEN_INVALID',
    )
    expect((await s.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401)
    // other sessions of the same person live on
    const other = await login(env, 'openid-logout')
    expect((await other.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200)
  })

  it('cuts a logged-out session on every instance at once, from each one’s mirror or, out of sync, from Redis', async () => {
    const other = await env.newApp()
    const s = await login(env, 'openid-logout-everywhere')
    const me = (app: typeof other, token = s.accessToken) =>
      app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })
    const waitSynced = async (app: typeof other) => {
      for (const end = Date.now() + 5000; !app.revocations.synced && Date.now() < end; )
        await new Promise((r) => setTimeout(r, 20))
      expect(app.revocations.synced).toBe(true)
    }
    await waitSynced(other)
    expect((await me(other)).statusCode).toBe(200)
    expect((await post('/api/v1/auth/logout', { refreshToken: s.refreshToken })).statusCode).toBe(204)
    // the other instance learns it by pub/sub, within moments, without asking Redis per request
    const started = Date.now()
    while ((await me(other)).statusCode !== 401 && Date.now() - started < 2000)
      await new Promise((r) => setTimeout(r, 10))
    expect((await me(other)).json().error.code).toBe('TOKEN_INVALID')
    expect(Date.now() - started).toBeLessThan(2000)

    // an instance started after the logout reads what Redis holds before it trusts its mirror
    const late = await env.newApp()
    await waitSynced(late)
    expect((await me(late)).statusCode).toBe(401)
    // and one whose mirror is out of sync asks Redis for every request
    late.revocations.close()
    expect(late.revocations.synced).toBe(false)
    expect((await me(late)).statusCode).toBe(401)
    const fresh = await login(env, 'openid-logout-everywhere')
    expect((await me(late, fresh.accessToken)).statusCode).toBe(200)
  })

  it('rejects garbage refresh tokens', async () => {
    const res = await post('/api/v1/auth/refresh', { refreshToken: 'x'.repeat(43) })
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('REFRESH_TOKEN_INVALID')
  })
})
