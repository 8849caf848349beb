import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { randomBytes } from 'node:crypto'

/**
 * A local stand-in for WeChat's server APIs, speaking the same HTTP protocol (jscode2session, stable_token,
 * getuserphonenumber), for tests and the local demo. It also mints codes on request (`/__demo/*`), which is
 * what wx.login and the phone button do inside WeChat. It refuses to run in production.
 */
export interface StandinOptions {
  appid: string
  secret: string
  /** seconds a code stays valid (WeChat: 5 minutes, single use) */
  codeTtl?: number
  accessTokenTtl?: number
}

export interface StandinStats {
  jscode2session: number
  stableToken: number
  getPhoneNumber: number
  subscribeSend: number
}

export interface SentMessage {
  touser: string
  template_id: string
  page: string
  data: Record<string, { value: string }>
}

interface Code<T> {
  value: T
  expiresAt: number
  used: boolean
}

export function createWechatStandin(opts: StandinOptions): Server & { stats: StandinStats; messages: SentMessage[] } {
  if (process.env.NODE_ENV === 'production') throw new Error('the WeChat stand-in cannot run in production')
  const codeTtl = (opts.codeTtl ?? 300) * 1000
  const loginCodes = new Map<string, Code<{ openid: string; unionid?: string }>>()
  const phoneCodes = new Map<string, Code<string>>()
  const tokens = new Map<string, number>()
  let currentToken: { token: string; expiresAt: number } | null = null
  const stats: StandinStats = { jscode2session: 0, stableToken: 0, getPhoneNumber: 0, subscribeSend: 0 }
  const messages: SentMessage[] = []

  const mint = <T>(map: Map<string, Code<T>>, value: T) => {
    const code = randomBytes(16).toString('hex')
    map.set(code, { value, expiresAt: Date.now() + codeTtl, used: false })
    return code
  }
  const redeem = <T>(map: Map<string, Code<T>>, code: string): T | 40029 | 40163 => {
    const entry = map.get(code)
    if (!entry || entry.expiresAt < Date.now()) return 40029
    if (entry.used) return 40163
    entry.used = true
    return entry.value
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://standin')
    cors(res)
    if (req.method === 'OPTIONS') return send(res, 204, null)
    try {
      if (req.method === 'GET' && url.pathname === '/sns/jscode2session') {
        stats.jscode2session++
        const p = url.searchParams
        if (p.get('appid') !== opts.appid) return send(res, 200, { errcode: 40013, errmsg: 'invalid appid' })
        if (p.get('secret') !== opts.secret) return send(res, 200, { errcode: 40125, errmsg: 'invalid appsecret' })
        if (p.get('grant_type') !== 'authorization_code')
          return send(res, 200, { errcode: 40002, errmsg: 'invalid grant_type' })
        const r = redeem(loginCodes, p.get('js_code') ?? '')
        if (typeof r === 'number')
          return send(res, 200, { errcode: r, errmsg: r === 40029 ? 'invalid code' : 'code been used' })
        return send(res, 200, {
          openid: r.openid,
          session_key: randomBytes(16).toString('base64'),
          ...(r.unionid ? { unionid: r.unionid } : {}),
        })
      }
      if (req.method === 'POST' && url.pathname === '/cgi-bin/stable_token') {
        stats.stableToken++
        const body = await json(req)
        if (body.appid !== opts.appid || body.secret !== opts.secret)
          return send(res, 200, { errcode: 40125, errmsg: 'invalid appsecret' })
        const ttl = opts.accessTokenTtl ?? 7200
        if (!currentToken || currentToken.expiresAt < Date.now() || body.force_refresh === true) {
          currentToken = { token: randomBytes(24).toString('hex'), expiresAt: Date.now() + ttl * 1000 }
          tokens.set(currentToken.token, currentToken.expiresAt)
        }
        return send(res, 200, {
          access_token: currentToken.token,
          expires_in: Math.round((currentToken.expiresAt - Date.now()) / 1000),
        })
      }
      if (req.method === 'POST' && url.pathname === '/wxa/business/getuserphonenumber') {
        stats.getPhoneNumber++
        const expires = tokens.get(url.searchParams.get('access_token') ?? '')
        if (!expires || expires < Date.now())
          return send(res, 200, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' })
        const body = await json(req)
        const r = redeem(phoneCodes, String(body.code ?? ''))
        if (typeof r === 'number') return send(res, 200, { errcode: 40029, errmsg: 'invalid code' })
        return send(res, 200, {
          errcode: 0,
          errmsg: 'ok',
          phone_info: {
            phoneNumber: r,
            purePhoneNumber: r,
            countryCode: '86',
            watermark: { timestamp: Math.floor(Date.now() / 1000), appid: opts.appid },
          },
        })
      }
      if (req.method === 'POST' && url.pathname === '/cgi-bin/message/subscribe/send') {
        stats.subscribeSend++
        const expires = tokens.get(url.searchParams.get('access_token') ?? '')
        if (!expires || expires < Date.now())
          return send(res, 200, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' })
        const body = await json(req)
        if (typeof body.touser !== 'string' || typeof body.template_id !== 'string')
          return send(res, 200, { errcode: 47003, errmsg: 'argument invalid' })
        messages.push(body as unknown as SentMessage)
        return send(res, 200, { errcode: 0, errmsg: 'ok', msgid: messages.length })
      }
      if (req.method === 'GET' && url.pathname === '/__messages') return send(res, 200, messages)
      // What wx.login and <Button openType="getPhoneNumber"> do inside WeChat:
      if (req.method === 'POST' && url.pathname === '/__demo/code') {
        const body = await json(req)
        if (typeof body.openid !== 'string' || !body.openid) return send(res, 400, { error: 'openid required' })
        const unionid = typeof body.unionid === 'string' ? body.unionid : undefined
        return send(res, 200, {
          code: mint(loginCodes, unionid ? { openid: body.openid, unionid } : { openid: body.openid }),
        })
      }
      if (req.method === 'POST' && url.pathname === '/__demo/phone-code') {
        const body = await json(req)
        if (typeof body.phone !== 'string' || !/^1\d{10}$/.test(body.phone))
          return send(res, 400, { error: 'phone required' })
        return send(res, 200, { code: mint(phoneCodes, body.phone) })
      }
      if (req.method === 'GET' && url.pathname === '/__stats') return send(res, 200, stats)
      return send(res, 404, { errcode: 404, errmsg: 'not found' })
    } catch {
      return send(res, 400, { errcode: 47001, errmsg: 'data format error' })
    }
  })
  return Object.assign(server, { stats, messages })
}

function cors(res: ServerResponse) {
  res.setHeader('access-control-allow-origin', '*')
  res.setHeader('access-control-allow-headers', 'content-type')
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.statusCode = status
  if (body === null) return res.end()
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify(body))
}

async function json(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > 64 * 1024) throw new Error('too large')
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  return text ? (JSON.parse(text) as Record<string, unknown>) : {}
}

/** Demo-mode helper: ask the stand-in for codes, the way the WeChat client would produce them. */
export async function mintStandinCode(
  apiBase: string,
  kind: 'code' | 'phone-code',
  body: Record<string, string>,
): Promise<string> {
  const res = await fetch(`${apiBase}/__demo/${kind}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  })
  if (!res.ok) throw new Error(`stand-in answered ${res.status}`)
  return ((await res.json()) as { code: string }).code
}
