import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, createHttpClient, taroTransport, type HttpClient } from '../src/services/http'
import { taroTokenStore } from '../src/services/tokens'

/**
 * A real HTTP server standing in for the BFF: access tokens expire, refresh tokens rotate, and reusing a spent
 * refresh token is refused — as the BFF does. The client under test uses the real Taro H5 transport (fetch).
 */
interface ServerState {
  validAccess: string
  validRefresh: string
  generation: number
  refreshCalls: number
  refreshDelayMs: number
  refreshFails: boolean
  seenAuth: string[]
  seenBodies: unknown[]
}

let server: Server
let baseUrl: string
let state: ServerState

function send(res: ServerResponse, status: number, body?: unknown) {
  res.statusCode = status
  if (body === undefined) return res.end()
  res.setHeader('Content-Type', 'application/json')
  res.end(JSON.stringify(body))
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  return text ? JSON.parse(text) : undefined
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  // the page (happy-dom) and this server are different origins
  res.setHeader('Access-Control-Allow-Origin', '*')
  res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type, accept')
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PATCH, DELETE, OPTIONS')
  if (req.method === 'OPTIONS') return send(res, 204)

  const url = new URL(req.url ?? '/', 'http://x')
  const body = req.method === 'GET' ? undefined : await readJson(req)
  state.seenBodies.push(body)

  if (url.pathname === '/api/v1/auth/refresh') {
    state.refreshCalls++
    await new Promise((r) => setTimeout(r, state.refreshDelayMs))
    const token = (body as { refreshToken?: string } | undefined)?.refreshToken
    if (state.refreshFails || token !== state.validRefresh) {
      return send(res, 401, { error: { code: 'REFRESH_TOKEN_REUSED', message: 'refresh token reused' } })
    }
    state.generation++
    state.validAccess = `access-${state.generation}`
    state.validRefresh = `refresh-${state.generation}`
    return send(res, 200, {
      accessToken: state.validAccess,
      expiresIn: 900,
      refreshToken: state.validRefresh,
      refreshExpiresIn: 2592000,
    })
  }

  const auth = req.headers.authorization ?? ''
  state.seenAuth.push(auth)
  if (url.pathname === '/api/v1/public') return send(res, 200, { ok: true })
  if (auth !== `Bearer ${state.validAccess}`) {
    return send(res, 401, { error: { code: 'TOKEN_EXPIRED', message: 'jwt expired' } })
  }
  if (url.pathname === '/api/v1/echo') return send(res, 200, { q: url.searchParams.get('q'), body })
  if (url.pathname === '/api/v1/conflict') {
    return send(res, 409, { error: { code: 'MEMBERSHIP_EXISTS', message: 'exists', details: { membershipId: 7 } } })
  }
  if (url.pathname === '/api/v1/gone') return send(res, 204)
  if (url.pathname === '/api/v1/broken') return send(res, 502, '<html>bad gateway</html>')
  return send(res, 404, { error: { code: 'ROUTE_NOT_FOUND', message: 'no route' } })
}

let expiredCalls = 0
function client(url = baseUrl): HttpClient {
  return createHttpClient({
    baseUrl: url,
    tokens: taroTokenStore,
    transport: taroTransport,
    onSessionExpired: () => {
      expiredCalls++
    },
  })
}

beforeAll(async () => {
  // happy-dom logs every non-2xx response and refused connection on the window console; these tests cause them on purpose
  vi.spyOn(window.console, 'error').mockImplementation(() => undefined)
  vi.spyOn(window.console, 'warn').mockImplementation(() => undefined)
  server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => send(res, 500, { error: { code: 'INTERNAL', message: String(e) } }))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()))
})

beforeEach(() => {
  state = {
    validAccess: 'access-0',
    validRefresh: 'refresh-0',
    generation: 0,
    refreshCalls: 0,
    refreshDelayMs: 30,
    refreshFails: false,
    seenAuth: [],
    seenBodies: [],
  }
  expiredCalls = 0
  taroTokenStore.clear()
})

describe('http client', () => {
  it('sends the bearer token, query and JSON body, and returns the parsed JSON', async () => {
    taroTokenStore.save({ accessToken: 'access-0', refreshToken: 'refresh-0' })
    const res = await client().request<{ q: string; body: unknown }>('/echo', {
      method: 'POST',
      query: { q: '阳光 花园' },
      body: { unitId: 3 },
    })
    expect(res).toEqual({ q: '阳光 花园', body: { unitId: 3 } })
    expect(state.seenAuth).toEqual(['Bearer access-0'])
  })

  it('refreshes ONCE for concurrent 401s, retries each request and stores the rotated refresh token', async () => {
    taroTokenStore.save({ accessToken: 'stale', refreshToken: 'refresh-0' })
    const http = client()
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => http.request<{ q: string }>('/echo', { query: { q: String(i) } })),
    )

    expect(results.map((r) => r.q)).toEqual(['0', '1', '2', '3', '4'])
    expect(state.refreshCalls).toBe(1)
    expect(taroTokenStore.getAccessToken()).toBe('access-1')
    expect(taroTokenStore.getRefreshToken()).toBe('refresh-1')
    // 5 first tries with the stale token, 5 retries with the new one
    expect(state.seenAuth.filter((a) => a === 'Bearer stale')).toHaveLength(5)
    expect(state.seenAuth.filter((a) => a === 'Bearer access-1')).toHaveLength(5)
    expect(expiredCalls).toBe(0)

    // a later expiry refreshes again with the NEW refresh token (the spent one would be refused)
    state.validAccess = 'rotated-server-side'
    await http.request('/echo')
    expect(state.refreshCalls).toBe(2)
    expect(taroTokenStore.getRefreshToken()).toBe('refresh-2')
  })

  it('clears the tokens and reports the session as expired when the refresh is refused', async () => {
    taroTokenStore.save({ accessToken: 'stale', refreshToken: 'refresh-0' })
    state.refreshFails = true
    const http = client()
    const outcomes = await Promise.allSettled([http.request('/echo'), http.request('/echo'), http.request('/echo')])

    for (const o of outcomes) {
      expect(o.status).toBe('rejected')
      const err = (o as PromiseRejectedResult).reason as ApiError
      expect(err).toBeInstanceOf(ApiError)
      expect(err.code).toBe('REFRESH_TOKEN_REUSED')
      expect(err.status).toBe(401)
      expect(err.message).toBe('检测到登录凭证被重复使用，已为您退出所有设备，请重新登录')
    }
    expect(state.refreshCalls).toBe(1)
    expect(taroTokenStore.getAccessToken()).toBeNull()
    expect(taroTokenStore.getRefreshToken()).toBeNull()
    expect(expiredCalls).toBe(1)
  })

  it('without any session a 401 ends in UNAUTHENTICATED and no refresh call', async () => {
    await expect(client().request('/echo')).rejects.toMatchObject({ code: 'UNAUTHENTICATED', status: 401 })
    expect(state.refreshCalls).toBe(0)
    expect(expiredCalls).toBe(1)
  })

  it('maps error codes to Chinese messages and keeps status and details', async () => {
    taroTokenStore.save({ accessToken: 'access-0', refreshToken: 'refresh-0' })
    const err = await client()
      .request('/conflict', { method: 'POST', body: {} })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({
      code: 'MEMBERSHIP_EXISTS',
      status: 409,
      message: '您已申请或已绑定该房屋',
      details: { membershipId: 7 },
    })
  })

  it('handles 204, unreadable error bodies and unreachable servers', async () => {
    taroTokenStore.save({ accessToken: 'access-0', refreshToken: 'refresh-0' })
    const http = client()
    await expect(http.request('/gone', { method: 'DELETE' })).resolves.toBeFalsy()
    // a non-GET without a body still sends a JSON object (wx.request always claims application/json)
    expect(state.seenBodies.at(-1)).toEqual({})
    await expect(http.request('/broken')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 502 })
    await expect(http.request('/nowhere')).rejects.toMatchObject({ code: 'ROUTE_NOT_FOUND', message: '接口不存在' })
    await expect(http.request('/public', { auth: false })).resolves.toEqual({ ok: true })

    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((r) => closed.close(() => r()))
    await expect(client(`http://127.0.0.1:${port}`).request('/echo')).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
      status: 0,
      message: '网络连接失败，请检查网络后重试',
    })
  })
})
