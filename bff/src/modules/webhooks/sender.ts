import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP } from 'node:net'
import { guardedLookup, isPrivateAddress } from './url-guard'

/**
 * One HTTP POST of a webhook. node:http(s) rather than fetch so the connection goes through our guarded
 * lookup (the address checked is the address used). Redirects are never followed (node:http does not);
 * a 3xx counts as a failure. The response body is read up to 4 KB for the attempt log, then dropped.
 */
export interface SendResult {
  status: number | null
  durationMs: number
  /** Retry-After response header, raw */
  retryAfter?: string
  /** start of the response body (for support), or the network error */
  error?: string
}

const MAX_BODY = 4096

export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  opts: { timeoutMs: number; allowPrivate: boolean },
): Promise<SendResult> {
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  return new Promise((resolve) => {
    let target: URL
    try {
      target = new URL(url)
    } catch {
      return resolve({ status: null, durationMs: 0, error: 'invalid URL' })
    }
    const host = target.hostname.replace(/^\[|\]$/g, '')
    const isHttps = target.protocol === 'https:'
    if (!opts.allowPrivate) {
      if (!isHttps) return resolve({ status: null, durationMs: 0, error: 'refused: the URL must use https' })
      if (isIP(host) && isPrivateAddress(host))
        return resolve({ status: null, durationMs: 0, error: `refused: ${host} is a private or reserved address` })
    } else if (!isHttps && target.protocol !== 'http:') {
      return resolve({ status: null, durationMs: 0, error: 'refused: unsupported scheme' })
    }
    const send = isHttps ? httpsRequest : httpRequest
    let settled = false
    const finish = (r: SendResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(r)
    }
    const req = send(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body).toString(),
          'user-agent': 'Linli-Webhooks/1.0',
        },
        lookup: opts.allowPrivate ? undefined : (guardedLookup as never),
        agent: false,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (c: Buffer) => {
          if (size < MAX_BODY) chunks.push(c)
          size += c.length
        })
        res.on('end', () => {
          const status = res.statusCode ?? null
          const text = Buffer.concat(chunks).toString('utf8').slice(0, 300)
          const ra = res.headers['retry-after']
          finish({
            status,
            durationMs: elapsed(),
            retryAfter: Array.isArray(ra) ? ra[0] : ra,
            error:
              status !== null && status >= 200 && status < 300 ? undefined : `HTTP ${status}${text ? `: ${text}` : ''}`,
          })
        })
        res.on('error', (err) => finish({ status: res.statusCode ?? null, durationMs: elapsed(), error: err.message }))
      },
    )
    const timer = setTimeout(() => {
      req.destroy(new Error(`timeout after ${opts.timeoutMs} ms`))
    }, opts.timeoutMs)
    req.on('error', (err) => finish({ status: null, durationMs: elapsed(), error: err.message }))
    req.end(body)
  })
}

/** Retry-After as seconds or an HTTP date → a Date, or null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): Date | null {
  if (!value) return null
  const v = value.trim()
  if (/^\d{1,9}$/.test(v)) return new Date(now + Number(v) * 1000)
  const t = Date.parse(v)
  return Number.isNaN(t) ? null : new Date(Math.max(now, t))
}
