import Taro from '@tarojs/taro'
import { errorMessageZh, isErrorCode, type ErrorCode } from '@linli/shared/errors'
import type { TokenPair } from '@linli/shared/schemas'
import { taroTokenStore, type TokenStore } from './tokens'

/** Codes the client adds for failures that never reached the BFF or came back unreadable. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'BAD_RESPONSE'
export type ApiErrorCode = ErrorCode | ClientErrorCode

const CLIENT_MESSAGES: Record<ClientErrorCode, string> = {
  NETWORK_ERROR: '网络连接失败，请检查网络后重试',
  BAD_RESPONSE: '服务返回了无法识别的内容，请稍后再试',
}

/** The one error type pages see. `message` is Chinese and fit to show the resident. */
export class ApiError extends Error {
  readonly code: ApiErrorCode
  readonly status: number
  readonly details: unknown

  constructor(code: ApiErrorCode, status: number, message?: string, details?: unknown) {
    super(
      message ?? (code === 'NETWORK_ERROR' || code === 'BAD_RESPONSE' ? CLIENT_MESSAGES[code] : errorMessageZh(code)),
    )
    this.name = 'ApiError'
    this.code = code
    this.status = status
    this.details = details
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError
}

/** Chinese text for any thrown value, for toasts and inline errors. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message
  return errorMessageZh('INTERNAL')
}

/** Access-token failures that one refresh may cure. */
const REFRESHABLE = new Set<string>(['TOKEN_EXPIRED', 'TOKEN_INVALID', 'UNAUTHENTICATED'])

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

export interface RequestOptions {
  method?: HttpMethod
  body?: unknown
  query?: Record<string, string | number | undefined>
  /** send the bearer token and refresh on 401 (default true) */
  auth?: boolean
  /** extra headers, e.g. Idempotency-Key (kept the same across the retry after a refresh) */
  headers?: Record<string, string>
}

export interface TransportRequest {
  url: string
  method: HttpMethod
  headers: Record<string, string>
  body?: unknown
}
export interface TransportResponse {
  status: number
  data: unknown
}
/** Sends one HTTP request; rejects only when no response arrived. */
export type Transport = (req: TransportRequest) => Promise<TransportResponse>

export const taroTransport: Transport = async (req) => {
  const res = await Taro.request({
    url: req.url,
    method: req.method,
    header: req.headers,
    // undefined body → no body (GET/DELETE)
    ...(req.body === undefined ? {} : { data: req.body as TaroGeneral.IAnyObject }),
    dataType: 'json',
    timeout: 15000,
  })
  let data: unknown = res.data
  // H5 and some weapp versions leave the body as text when it is empty or not JSON
  if (typeof data === 'string') {
    if (data === '') data = undefined
    else {
      try {
        data = JSON.parse(data)
      } catch {
        /* keep text */
      }
    }
  }
  return { status: res.statusCode, data }
}

/** One file sent as multipart/form-data (wx.uploadFile / Taro.uploadFile); resolves with the status and the parsed body. */
export interface UploadTransportRequest {
  url: string
  filePath: string
  /** the form field of the file */
  name: string
  headers: Record<string, string>
  formData?: Record<string, string>
  /** 0–100 */
  onProgress?: (percent: number) => void
}
/** Rejects only when no response arrived. */
export type Uploader = (req: UploadTransportRequest) => Promise<TransportResponse>

function parseBody(data: unknown): unknown {
  if (typeof data !== 'string') return data
  if (data === '') return undefined
  try {
    return JSON.parse(data)
  } catch {
    return data
  }
}

export const taroUploader: Uploader = (req) =>
  new Promise<TransportResponse>((resolve, reject) => {
    const task = Taro.uploadFile({
      url: req.url,
      filePath: req.filePath,
      name: req.name,
      header: req.headers,
      formData: req.formData,
      timeout: 60000,
      // H5: same-origin cookies are not needed (bearer token); cross-origin would need credentialed CORS
      withCredentials: false,
      success: (res) => resolve({ status: res.statusCode, data: parseBody(res.data) }),
      fail: (err) => reject(new Error(err.errMsg)),
    } as Taro.uploadFile.Option)
    // weapp returns the UploadTask directly; H5 a promise that also carries the task's methods
    const t = task as unknown as Partial<Taro.UploadTask> | undefined
    if (req.onProgress && t && typeof t.onProgressUpdate === 'function')
      t.onProgressUpdate((p) => req.onProgress?.(p.progress))
    // the promise form rejects too; the fail callback has already reported it
    if (task && typeof (task as unknown as Promise<unknown>).catch === 'function')
      (task as unknown as Promise<unknown>).catch(() => undefined)
  })

export interface UploadOptions {
  filePath: string
  /** form field name (default "file") */
  name?: string
  formData?: Record<string, string>
  headers?: Record<string, string>
  onProgress?: (percent: number) => void
}

export interface HttpClientOptions {
  /** origin of the BFF; '' = same origin */
  baseUrl: string
  tokens: TokenStore
  transport: Transport
  /** for upload(); default Taro.uploadFile */
  uploader?: Uploader
  /** called once when the session is gone for good (refresh failed); e.g. go to the login page */
  onSessionExpired?: (error: ApiError) => void
}

export interface HttpClient {
  request<T>(path: string, options?: RequestOptions): Promise<T>
  /** POST one file as multipart/form-data, with the same bearer token and refresh-on-401 as request() */
  upload<T>(path: string, options: UploadOptions): Promise<T>
  /** refresh now (shared with concurrent callers); resolves to the new access token */
  refresh(): Promise<string>
}

function buildQuery(query: RequestOptions['query']): string {
  if (!query) return ''
  const parts: string[] = []
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
  }
  return parts.length ? `?${parts.join('&')}` : ''
}

/** A field error may carry the reason in Chinese (`zh`, e.g. why a phone number is not one): shown as it is. */
function detailText(details: unknown): string | undefined {
  const first = Array.isArray(details) ? (details[0] as { zh?: unknown } | undefined) : undefined
  return typeof first?.zh === 'string' && first.zh !== '' ? first.zh : undefined
}

function toApiError(status: number, data: unknown): ApiError {
  const err = (data as { error?: { code?: unknown; details?: unknown } } | undefined)?.error
  if (err && isErrorCode(err.code)) return new ApiError(err.code, status, detailText(err.details), err.details)
  if (status === 401) return new ApiError('UNAUTHENTICATED', status)
  if (status === 403) return new ApiError('FORBIDDEN', status)
  if (status === 404) return new ApiError('NOT_FOUND', status)
  if (status === 429) return new ApiError('RATE_LIMITED', status)
  if (status >= 500) return new ApiError('SERVICE_UNAVAILABLE', status)
  return new ApiError('BAD_RESPONSE', status)
}

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const apiRoot = `${opts.baseUrl.replace(/\/+$/, '')}/api/v1`
  let refreshing: Promise<string> | null = null

  async function send(path: string, o: RequestOptions, accessToken: string | null): Promise<TransportResponse> {
    const method = o.method ?? 'GET'
    // wx.request always sends Content-Type: application/json, and an empty JSON body is a 400 on the BFF:
    // every non-GET request therefore carries a JSON object
    const body = o.body ?? (method === 'GET' ? undefined : {})
    const headers: Record<string, string> = { ...o.headers, Accept: 'application/json' }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    if (accessToken) headers.Authorization = `Bearer ${accessToken}`
    try {
      return await opts.transport({
        url: `${apiRoot}${path}${buildQuery(o.query)}`,
        method,
        headers,
        body,
      })
    } catch {
      throw new ApiError('NETWORK_ERROR', 0)
    }
  }

  function expire(error: ApiError): never {
    opts.tokens.clear()
    opts.onSessionExpired?.(error)
    throw error
  }

  async function doRefresh(): Promise<string> {
    const refreshToken = opts.tokens.getRefreshToken()
    if (!refreshToken) expire(new ApiError('UNAUTHENTICATED', 401))
    const res = await send('/auth/refresh', { method: 'POST', body: { refreshToken } }, null)
    if (res.status >= 200 && res.status < 300) {
      const pair = res.data as TokenPair | undefined
      if (!pair?.accessToken || !pair.refreshToken) throw new ApiError('BAD_RESPONSE', res.status)
      // refresh tokens rotate: the old one is now spent, always keep the new one
      opts.tokens.save(pair)
      return pair.accessToken
    }
    const error = toApiError(res.status, res.data)
    // The BFF said no (invalid, reused, expired): the session is over. A 5xx keeps the tokens for a later try.
    if (res.status >= 400 && res.status < 500) expire(error)
    throw error
  }

  function refresh(): Promise<string> {
    // single flight: every caller that hits a 401 meanwhile waits for this one call
    if (!refreshing) {
      refreshing = doRefresh().finally(() => {
        refreshing = null
      })
    }
    return refreshing
  }

  async function request<T>(path: string, o: RequestOptions = {}): Promise<T> {
    return withAuth<T>(o.auth ?? true, (token) => send(path, o, token))
  }

  async function sendUpload(path: string, o: UploadOptions, accessToken: string | null): Promise<TransportResponse> {
    const uploader = opts.uploader ?? taroUploader
    // no Content-Type: the platform sets multipart/form-data with its boundary
    const headers: Record<string, string> = { ...o.headers, Accept: 'application/json' }
    if (accessToken) headers.Authorization = `Bearer ${accessToken}`
    try {
      return await uploader({
        url: `${apiRoot}${path}`,
        filePath: o.filePath,
        name: o.name ?? 'file',
        headers,
        formData: o.formData,
        onProgress: o.onProgress,
      })
    } catch {
      throw new ApiError('NETWORK_ERROR', 0)
    }
  }

  function upload<T>(path: string, o: UploadOptions): Promise<T> {
    return withAuth<T>(true, (token) => sendUpload(path, o, token))
  }

  /** Sends with the access token; on a refreshable 401 refreshes once (single flight) and sends again. */
  async function withAuth<T>(
    auth: boolean,
    sendWith: (token: string | null) => Promise<TransportResponse>,
  ): Promise<T> {
    const sentToken = auth ? opts.tokens.getAccessToken() : null
    let res = await sendWith(sentToken)

    if (auth && res.status === 401) {
      const first = toApiError(res.status, res.data)
      if (!REFRESHABLE.has(first.code)) {
        expire(first)
      }
      const current = opts.tokens.getAccessToken()
      // another request may already have refreshed since this one was sent: reuse its token
      const token = current && current !== sentToken ? current : await refresh()
      res = await sendWith(token)
      if (res.status === 401) expire(toApiError(res.status, res.data))
    }

    if (res.status >= 200 && res.status < 300) return res.data as T
    throw toApiError(res.status, res.data)
  }

  return { request, upload, refresh }
}

const LOGIN_PAGE = '/packages/account/pages/login/index'
let redirectingToLogin = false

/** Send the person to the login page once, however many requests failed together. */
export function goToLogin(): void {
  if (redirectingToLogin) return
  redirectingToLogin = true
  setTimeout(() => {
    redirectingToLogin = false
  }, 1500)
  const pages = Taro.getCurrentPages()
  const route = pages[pages.length - 1]?.route ?? ''
  if (route.includes('packages/account/pages/login')) return
  void Taro.navigateTo({ url: LOGIN_PAGE }).catch(() => Taro.redirectTo({ url: LOGIN_PAGE }))
}

export const API_BASE: string = process.env.TARO_APP_API_BASE ?? ''

/**
 * The BFF answers photo links as paths on its own origin (`/api/v1/media/…`); an <Image> in the mini-program
 * needs the whole address (H5 on the BFF's origin has API_BASE '' and keeps the path).
 */
export function mediaUrl(url: string): string {
  return url.startsWith('/') ? `${API_BASE.replace(/\/+$/, '')}${url}` : url
}

/** The app's one client. Pages reach it only through services/api/*. */
export const http: HttpClient = createHttpClient({
  baseUrl: API_BASE,
  tokens: taroTokenStore,
  transport: taroTransport,
  onSessionExpired: () => {
    for (const l of sessionExpiredListeners) l()
    goToLogin()
  },
})

const sessionExpiredListeners = new Set<() => void>()
export function onSessionExpired(listener: () => void): () => void {
  sessionExpiredListeners.add(listener)
  return () => sessionExpiredListeners.delete(listener)
}
