import type { Redis } from 'ioredis'
import { AppError } from '../../errors'

/**
 * WeChat server APIs behind one adapter (domain.md §6). The base URL is configurable so tests and the local
 * demo talk to the stand-in; production config only accepts api.weixin.qq.com.
 */
export interface WechatSession {
  openid: string
  unionid?: string
}

export interface WechatClient {
  code2Session(code: string): Promise<WechatSession>
  getPhoneNumber(code: string): Promise<{ phone: string; countryCode: string }>
  /** one subscribe message; 'refused' when the user has no acceptance left for it (errcode 43101) */
  sendSubscribeMessage(m: {
    openid: string
    templateId: string
    page: string
    data: Record<string, { value: string }>
  }): Promise<'sent' | 'refused'>
}

export interface WechatClientOptions {
  appid: string
  secret: string
  apiBase: string
  timeoutMs: number
  redis: Redis
  log?: { warn: (obj: object, msg: string) => void }
}

interface WxError {
  errcode?: number
  errmsg?: string
}

const TOKEN_KEY = 'wechat:access_token'
const TOKEN_LOCK = 'wechat:access_token:lock'

export class HttpWechatClient implements WechatClient {
  constructor(private readonly opts: WechatClientOptions) {}

  async code2Session(code: string): Promise<WechatSession> {
    const q = new URLSearchParams({
      appid: this.opts.appid,
      secret: this.opts.secret,
      js_code: code,
      grant_type: 'authorization_code',
    })
    const res = await this.call<{ openid?: string; unionid?: string; session_key?: string } & WxError>(
      `/sns/jscode2session?${q}`,
    )
    if (res.errcode) throw loginError(res)
    if (!res.openid) throw new AppError('WECHAT_UNAVAILABLE', 'jscode2session returned no openid')
    // session_key is deliberately dropped: never stored, never sent to the client.
    return res.unionid ? { openid: res.openid, unionid: res.unionid } : { openid: res.openid }
  }

  async getPhoneNumber(code: string): Promise<{ phone: string; countryCode: string }> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = await this.accessToken(attempt > 0)
      const res = await this.call<{ phone_info?: { purePhoneNumber: string; countryCode: string } } & WxError>(
        `/wxa/business/getuserphonenumber?access_token=${encodeURIComponent(token)}`,
        { code },
      )
      if (res.errcode === 40001 || res.errcode === 42001) continue // token expired elsewhere: refresh once
      if (res.errcode === 40029 || res.errcode === 40163) throw new AppError('WECHAT_PHONE_CODE_INVALID')
      if (res.errcode || !res.phone_info)
        throw new AppError('WECHAT_UNAVAILABLE', `getuserphonenumber failed: ${res.errcode}`)
      return { phone: res.phone_info.purePhoneNumber, countryCode: res.phone_info.countryCode }
    }
    throw new AppError('WECHAT_UNAVAILABLE', 'access token rejected twice')
  }

  async sendSubscribeMessage(m: {
    openid: string
    templateId: string
    page: string
    data: Record<string, { value: string }>
  }): Promise<'sent' | 'refused'> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = await this.accessToken(attempt > 0)
      const res = await this.call<WxError>(
        `/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token)}`,
        {
          touser: m.openid,
          template_id: m.templateId,
          page: m.page,
          data: m.data,
          miniprogram_state: 'formal',
          lang: 'zh_CN',
        },
      )
      if (res.errcode === 40001 || res.errcode === 42001) continue
      if (res.errcode === 43101) return 'refused'
      if (res.errcode)
        throw new AppError('WECHAT_UNAVAILABLE', `subscribe/send failed: ${res.errcode} ${res.errmsg ?? ''}`.trim())
      return 'sent'
    }
    throw new AppError('WECHAT_UNAVAILABLE', 'access token rejected twice')
  }

  /**
   * One central access token for all instances: cached in Redis, refreshed under a Redis lock. stable_token
   * returns the same token while it is valid, so a Redis outage only costs extra calls, never correctness.
   */
  private async accessToken(forceRefresh: boolean): Promise<string> {
    const { redis } = this.opts
    if (!forceRefresh) {
      const cached = await redis.get(TOKEN_KEY).catch(() => null)
      if (cached) return cached
    }
    const locked = await redis.set(TOKEN_LOCK, '1', 'PX', 10_000, 'NX').catch(() => 'OK')
    if (locked !== 'OK' && !forceRefresh) {
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setTimeout(r, 100))
        const cached = await redis.get(TOKEN_KEY).catch(() => null)
        if (cached) return cached
      }
    }
    try {
      const res = await this.call<{ access_token?: string; expires_in?: number } & WxError>('/cgi-bin/stable_token', {
        grant_type: 'client_credential',
        appid: this.opts.appid,
        secret: this.opts.secret,
        force_refresh: false,
      })
      if (res.errcode || !res.access_token)
        throw new AppError('WECHAT_UNAVAILABLE', `stable_token failed: ${res.errcode}`)
      const ttl = Math.max(60, (res.expires_in ?? 7200) - 300)
      await redis.set(TOKEN_KEY, res.access_token, 'EX', ttl).catch(() => undefined)
      return res.access_token
    } finally {
      await redis.del(TOKEN_LOCK).catch(() => undefined)
    }
  }

  private async call<T>(path: string, body?: unknown): Promise<T> {
    let res: Response
    try {
      res = await fetch(`${this.opts.apiBase}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      })
    } catch (err) {
      this.opts.log?.warn({ err: (err as Error).message, path: path.split('?')[0] }, 'wechat call failed')
      throw new AppError('WECHAT_UNAVAILABLE', 'WeChat API not reachable')
    }
    if (!res.ok) throw new AppError('WECHAT_UNAVAILABLE', `WeChat API answered HTTP ${res.status}`)
    return (await res.json()) as T
  }
}

function loginError(res: WxError): AppError {
  switch (res.errcode) {
    case 40029:
    case 40163:
      return new AppError('WECHAT_CODE_INVALID')
    case 45011:
      return new AppError('WECHAT_RATE_LIMITED')
    case 40226:
      return new AppError('WECHAT_USER_BLOCKED')
    default:
      return new AppError('WECHAT_UNAVAILABLE', `jscode2session failed: ${res.errcode} ${res.errmsg ?? ''}`.trim())
  }
}
