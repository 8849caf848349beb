import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestEnv, login, type TestEnv } from '../helpers/app'

let env: TestEnv
beforeAll(async () => {
  env = await startTestEnv()
})
afterAll(async () => env?.close())

describe('health and readiness', () => {
  it('reports the process up and its dependencies reachable', async () => {
    expect((await env.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' })
    const ready = await env.app.inject({ method: 'GET', url: '/readyz' })
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' } })
  })

  it('answers 503 on /readyz when Redis is unreachable, and keeps serving what needs no Redis', async () => {
    const app = await env.newApp({ REDIS_URL: 'redis://127.0.0.1:1/0' })
    const ready = await app.inject({ method: 'GET', url: '/readyz' })
    expect(ready.statusCode).toBe(503)
    expect(ready.json().checks.database).toBe('ok')
    expect(ready.json().checks.redis).toMatch(/^down/)
    // MySQL is the system of record: login and reads still work without Redis
    const s = await login(env, 'openid-no-redis', app)
    expect((await s.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200)
  })

  it('answers 503 on /readyz when the database is unreachable, and 503 (not 500) on the routes that need it', async () => {
    const app = await env.newApp({ DATABASE_URL: 'mysql://linli:linli@127.0.0.1:1/nothing' })
    const ready = await app.inject({ method: 'GET', url: '/readyz' })
    expect(ready.statusCode).toBe(503)
    expect(ready.json().checks.redis).toBe('ok')
    const s = await login(env, 'openid-db-down')
    const me = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${s.accessToken}` },
    })
    expect(me.statusCode).toBe(503)
    expect(me.headers['retry-after']).toBe('1')
    expect(me.json().error.code).toBe('SERVICE_UNAVAILABLE')
  })
})

describe('one error format', () => {
  it('answers unknown routes with 404 ROUTE_NOT_FOUND', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/v1/nothing-here' })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual({ error: { code: 'ROUTE_NOT_FOUND', message: 'no route GET /api/v1/nothing-here' } })
  })

  it('answers malformed JSON with 400, not 500', async () => {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/wechat/login',
      payload: '{"code":',
      headers: { 'content-type': 'application/json' },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('BAD_REQUEST')
  })

  it('answers an unsupported content type with 415 and an oversized body with 413', async () => {
    const r415 = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/wechat/login',
      payload: 'code=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(r415.statusCode).toBe(415)
    expect(r415.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
    const r413 = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/wechat/login',
      payload: { code: 'x'.repeat(2 * 1024 * 1024) },
    })
    expect(r413.statusCode).toBe(413)
    expect(r413.json().error.code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('names the offending field of a bad path parameter', async () => {
    const s = await login(env, 'openid-bad-param')
    const res = await s.inject({ method: 'GET', url: '/api/v1/communities/abc/buildings' })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ field: 'params.communityId' })],
    })
  })

  it('echoes a request id on every response', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } })
    expect(res.headers['x-request-id']).toBe('abc-123')
    expect((await env.app.inject({ method: 'GET', url: '/healthz' })).headers['x-request-id']).toMatch(
      /^[0-9a-f-]{36}$/,
    )
  })
})

describe('rate limiting', () => {
  it('counts in Redis, so the limit holds across two BFF instances', async () => {
    const one = await env.newApp({ RATE_LIMIT_MAX: '5' })
    const two = await env.newApp({ RATE_LIMIT_MAX: '5' })
    const statuses: number[] = []
    for (let i = 0; i < 8; i++) {
      const app = i % 2 ? two : one
      statuses.push((await app.inject({ method: 'GET', url: '/api/v1/nothing', remoteAddress: '10.9.8.7' })).statusCode)
    }
    expect(statuses.filter((s) => s === 429)).toHaveLength(3)
    const limited = await one.inject({ method: 'GET', url: '/api/v1/nothing', remoteAddress: '10.9.8.7' })
    expect(limited.json().error.code).toBe('RATE_LIMITED')
    expect(limited.headers['retry-after']).toBeDefined()
    // another client is unaffected
    expect((await one.inject({ method: 'GET', url: '/api/v1/nothing', remoteAddress: '10.9.8.8' })).statusCode).toBe(
      404,
    )
  })
})

describe('OpenAPI', () => {
  it('documents every route with its schemas at /docs/json', async () => {
    const doc = (await env.app.inject({ method: 'GET', url: '/docs/json' })).json()
    expect(doc.openapi).toBe('3.0.3')
    for (const path of [
      '/api/v1/auth/wechat/login',
      '/api/v1/me',
      '/api/v1/memberships',
      '/api/v1/communities/{communityId}/memberships/{membershipId}/approve',
    ]) {
      expect(doc.paths[path], path).toBeDefined()
    }
    expect(doc.paths['/api/v1/memberships'].post.responses['409']).toBeDefined()
    expect((await env.app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400)
  })
})

describe('demo mode', () => {
  it('has no demo routes unless DEMO_MODE is on', async () => {
    expect(
      (await env.app.inject({ method: 'POST', url: '/api/v1/demo/wechat-code', payload: { openid: 'demo-x' } }))
        .statusCode,
    ).toBe(404)
    const demo = await env.newApp({ DEMO_MODE: 'true' })
    const res = await demo.inject({ method: 'POST', url: '/api/v1/demo/wechat-code', payload: { openid: 'demo-x' } })
    expect(res.statusCode).toBe(200)
    const loggedIn = await demo.inject({
      method: 'POST',
      url: '/api/v1/auth/wechat/login',
      payload: { code: res.json().code },
    })
    expect(loggedIn.statusCode).toBe(200)
  })
})
