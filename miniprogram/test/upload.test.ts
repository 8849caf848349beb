import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, createHttpClient, taroTransport, type Uploader, type taroUploader } from '../src/services/http'
import { taroTokenStore } from '../src/services/tokens'

/**
 * http.upload() against a real local HTTP server with the real Taro H5 uploader (XMLHttpRequest + FormData from a
 * a URL it reads first — in the browser the blob: URL Taro.chooseImage gives): multipart body, bearer token, one refresh on 401 and the same
 * file sent again, progress reported, error codes mapped.
 */
let server: Server
let baseUrl: string
let validAccess = 'access-0'
let refreshCalls = 0
let refuseRefresh = false
let uploads: { auth: string; contentType: string; body: Buffer }[] = []

function send(res: ServerResponse, status: number, body?: unknown) {
  res.statusCode = status
  res.setHeader('Content-Type', 'application/json')
  res.end(body === undefined ? '' : JSON.stringify(body))
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

beforeAll(async () => {
  vi.spyOn(window.console, 'error').mockImplementation(() => undefined)
  vi.spyOn(window.console, 'warn').mockImplementation(() => undefined)
  server = createServer((req, res) => {
    void (async () => {
      // the file fetch of Taro's H5 uploader is credentialed: echo the origin
      res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*')
      res.setHeader('Access-Control-Allow-Credentials', 'true')
      res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type, accept')
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
      if (req.method === 'OPTIONS') return send(res, 204)
      const body = await readBody(req)
      const url = new URL(req.url ?? '/', 'http://x')
      if (url.pathname === '/files/photo.png') {
        res.setHeader('Content-Type', 'image/png')
        return res.end(PNG_MARK)
      }
      if (url.pathname === '/api/v1/auth/refresh') {
        refreshCalls++
        if (refuseRefresh) return send(res, 401, { error: { code: 'REFRESH_TOKEN_REUSED', message: 'reused' } })
        validAccess = `access-${refreshCalls}`
        return send(res, 200, { accessToken: validAccess, expiresIn: 900, refreshToken: `refresh-${refreshCalls}`, refreshExpiresIn: 1000 })
      }
      const auth = req.headers.authorization ?? ''
      uploads.push({ auth, contentType: req.headers['content-type'] ?? '', body })
      if (auth !== `Bearer ${validAccess}`) return send(res, 401, { error: { code: 'TOKEN_EXPIRED', message: 'expired' } })
      if (url.pathname === '/api/v1/too-big') return send(res, 413, { error: { code: 'PAYLOAD_TOO_LARGE', message: 'big' } })
      return send(res, 201, { id: 42, url: '/media/sr-photos/42?exp=1&sig=x', contentType: 'image/png', bytes: body.length })
    })()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()))
})

beforeEach(() => {
  validAccess = 'access-0'
  refreshCalls = 0
  refuseRefresh = false
  uploads = []
  taroTokenStore.clear()
})

const PNG_MARK = 'PNG-BYTES-0123456789'
const files = new Map<string, string>()
/** the file system of the test: path → content */
const fetchUploader: Uploader = async (req) => {
  const content = files.get(req.filePath)
  if (content === undefined) throw new Error('uploadFile:fail file not found')
  const form = new FormData()
  for (const [k, v] of Object.entries(req.formData ?? {})) form.append(k, v)
  form.append(req.name, new Blob([content], { type: 'image/png' }), 'photo.png')
  req.onProgress?.(0)
  const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: form })
  req.onProgress?.(100)
  return { status: res.status, data: await res.text().then((t) => (t ? JSON.parse(t) : undefined)) }
}
const client = () => createHttpClient({ baseUrl, tokens: taroTokenStore, transport: taroTransport, uploader: fetchUploader })
const blobUrl = () => {
  const path = `blob:test/${files.size}`
  files.set(path, PNG_MARK)
  return path
}

describe('http.upload (Taro.uploadFile)', () => {
  it('sends the file as multipart/form-data with the bearer token and returns the parsed JSON', async () => {
    taroTokenStore.save({ accessToken: 'access-0', refreshToken: 'refresh-0' })
    const progress: number[] = []
    const photo = await client().upload<{ id: number }>('/communities/1/service-requests/photos', { filePath: blobUrl(), onProgress: (p) => progress.push(p) })
    expect(photo).toMatchObject({ id: 42, contentType: 'image/png' })
    expect(uploads).toHaveLength(1)
    expect(uploads[0]!.auth).toBe('Bearer access-0')
    expect(uploads[0]!.contentType).toMatch(/^multipart\/form-data; boundary=/)
    const text = uploads[0]!.body.toString('utf8')
    expect(text).toContain('name="file"')
    expect(text).toContain(PNG_MARK)
    expect(progress).toEqual([0, 100])
  })

  it('refreshes once on 401 and sends the same file again with the new token', async () => {
    taroTokenStore.save({ accessToken: 'stale', refreshToken: 'refresh-0' })
    const photo = await client().upload<{ id: number }>('/communities/1/service-requests/photos', { filePath: blobUrl() })
    expect(photo.id).toBe(42)
    expect(refreshCalls).toBe(1)
    expect(uploads.map((u) => u.auth)).toEqual(['Bearer stale', 'Bearer access-1'])
    expect(uploads[1]!.body.toString('utf8')).toContain(PNG_MARK)
    expect(taroTokenStore.getRefreshToken()).toBe('refresh-1')
  })

  it('maps error codes to Chinese messages and a failed transfer to NETWORK_ERROR', async () => {
    taroTokenStore.save({ accessToken: 'access-0', refreshToken: 'refresh-0' })
    const err = await client().upload('/too-big', { filePath: blobUrl() }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 })
    const failing = createHttpClient({ baseUrl, tokens: taroTokenStore, transport: taroTransport, uploader: () => Promise.reject(new Error('uploadFile:fail')) })
    await expect(failing.upload('/x', { filePath: 'wxfile://tmp' })).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 })
    // a refused session ends like request(): tokens cleared
    taroTokenStore.save({ accessToken: 'stale', refreshToken: 'refresh-0' })
    refuseRefresh = true
    await expect(client().upload('/x', { filePath: blobUrl() })).rejects.toMatchObject({ code: 'REFRESH_TOKEN_REUSED', status: 401 })
    expect(taroTokenStore.getAccessToken()).toBeNull()
  })

  it('reports progress through the task and passes the field name and headers to the uploader', async () => {
    taroTokenStore.save({ accessToken: 'access-0', refreshToken: 'refresh-0' })
    const seen: Parameters<typeof taroUploader>[0][] = []
    const fake = createHttpClient({
      baseUrl: 'https://api.example',
      tokens: taroTokenStore,
      transport: taroTransport,
      uploader: async (req) => {
        seen.push(req)
        req.onProgress?.(50)
        req.onProgress?.(100)
        return { status: 201, data: JSON.stringify({ id: 7 }) }
      },
    })
    const progress: number[] = []
    const out = await fake.upload<{ id: number }>('/p', { filePath: 'wxfile://tmp/a.jpg', onProgress: (p) => progress.push(p), headers: { 'X-Test': '1' } })
    // a JSON text body (wx.uploadFile gives text) is left for the caller as-is when the uploader returns it
    expect(out).toBe(JSON.stringify({ id: 7 }))
    expect(progress).toEqual([50, 100])
    expect(seen[0]).toMatchObject({ url: 'https://api.example/api/v1/p', filePath: 'wxfile://tmp/a.jpg', name: 'file', headers: { Authorization: 'Bearer access-0', 'X-Test': '1', Accept: 'application/json' } })
    expect(seen[0]!.headers['Content-Type']).toBeUndefined()
  })
})
