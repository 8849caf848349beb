import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, createHttpClient, taroTransport, type Uploader, type taroUploader } from '../src/services/http'
import { taroTokenStore } from '../src/services/tokens'
import { act } from 'react'
import Taro from '@tarojs/taro'
import { megabytes, PHOTO_MAX_BYTES } from '@linli/shared/photos'
import { PhotoPicker } from '../src/components/PhotoPicker'
import { usePhotoUploads, type LocalPhoto } from '../src/hooks/usePhotoUploads'
import {
  NOT_A_PHOTO_TEXT,
  PHOTO_FORMAT_REFUSED_TEXT,
  PHOTO_NETWORK_TEXT,
  PHOTO_TOO_LARGE_TEXT,
} from '../src/utils/photoFile'
import { png } from '../../tests/helpers/images'
import { mountPerTest } from './dom'

/**
 * http.upload() against a real local HTTP server with the real Taro H5 uploader (XMLHttpRequest + FormData from a
 * a URL it reads first — in the browser the blob: URL Taro.chooseImage gives): multipart body, bearer token, one refresh on 401 and the same
 * file sent again, progress reported, error codes mapped. Then the photo picker (usePhotoUploads + PhotoPicker)
 * against the same server: each upload state, refusals that name the problem without a retry, a retry after a
 * network failure. (Compression itself needs a real canvas: tests/e2e/service-request.test.ts, in Chromium.)
 */
let server: Server
let baseUrl: string
let validAccess = 'access-0'
let refreshCalls = 0
let refuseRefresh = false
let uploads: { auth: string; contentType: string; body: Buffer }[] = []
/** what the photo picker posted to the photo route */
let photoPosts: { communityId: number; body: Buffer }[] = []
let dropNextPhoto = false

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
        return send(res, 200, {
          accessToken: validAccess,
          expiresIn: 900,
          refreshToken: `refresh-${refreshCalls}`,
          refreshExpiresIn: 1000,
        })
      }
      const auth = req.headers.authorization ?? ''
      uploads.push({ auth, contentType: req.headers['content-type'] ?? '', body })
      if (auth !== `Bearer ${validAccess}`)
        return send(res, 401, { error: { code: 'TOKEN_EXPIRED', message: 'expired' } })
      if (url.pathname === '/api/v1/too-big')
        return send(res, 413, { error: { code: 'PAYLOAD_TOO_LARGE', message: 'big' } })
      const photo = /^\/api\/v1\/communities\/(\d+)\/photos$/.exec(url.pathname)
      if (photo) {
        photoPosts.push({ communityId: Number(photo[1]), body })
        if (dropNextPhoto) {
          dropNextPhoto = false
          return req.socket.destroy()
        }
        if (photo[1] === '413')
          return send(res, 413, {
            error: {
              code: 'PAYLOAD_TOO_LARGE',
              message: 'a photo may be at most 5 MB',
              details: { maxBytes: PHOTO_MAX_BYTES },
            },
          })
        if (photo[1] === '415')
          return send(res, 415, {
            error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'photo: not a JPEG, PNG or WebP image' },
          })
        return send(res, 201, {
          id: 100 + photoPosts.length,
          url: `/api/v1/media/photos/${100 + photoPosts.length}?exp=1&sig=x`,
          contentType: 'image/png',
          bytes: body.length,
        })
      }
      return send(res, 201, {
        id: 42,
        url: '/media/sr-photos/42?exp=1&sig=x',
        contentType: 'image/png',
        bytes: body.length,
      })
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
  photoPosts = []
  dropNextPhoto = false
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
const client = () =>
  createHttpClient({ baseUrl, tokens: taroTokenStore, transport: taroTransport, uploader: fetchUploader })
const blobUrl = () => {
  const path = `blob:test/${files.size}`
  files.set(path, PNG_MARK)
  return path
}

describe('http.upload (Taro.uploadFile)', () => {
  it('sends the file as multipart/form-data with the bearer token and returns the parsed JSON', async () => {
    taroTokenStore.save({ accessToken: 'access-0', refreshToken: 'refresh-0' })
    const progress: number[] = []
    const photo = await client().upload<{ id: number }>('/communities/1/service-requests/photos', {
      filePath: blobUrl(),
      onProgress: (p) => progress.push(p),
    })
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
    const photo = await client().upload<{ id: number }>('/communities/1/service-requests/photos', {
      filePath: blobUrl(),
    })
    expect(photo.id).toBe(42)
    expect(refreshCalls).toBe(1)
    expect(uploads.map((u) => u.auth)).toEqual(['Bearer stale', 'Bearer access-1'])
    expect(uploads[1]!.body.toString('utf8')).toContain(PNG_MARK)
    expect(taroTokenStore.getRefreshToken()).toBe('refresh-1')
  })

  it('maps error codes to Chinese messages and a failed transfer to NETWORK_ERROR', async () => {
    taroTokenStore.save({ accessToken: 'access-0', refreshToken: 'refresh-0' })
    const err = await client()
      .upload('/too-big', { filePath: blobUrl() })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 })
    const failing = createHttpClient({
      baseUrl,
      tokens: taroTokenStore,
      transport: taroTransport,
      uploader: () => Promise.reject(new Error('uploadFile:fail')),
    })
    await expect(failing.upload('/x', { filePath: 'wxfile://tmp' })).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
      status: 0,
    })
    // a refused session ends like request(): tokens cleared
    taroTokenStore.save({ accessToken: 'stale', refreshToken: 'refresh-0' })
    refuseRefresh = true
    await expect(client().upload('/x', { filePath: blobUrl() })).rejects.toMatchObject({
      code: 'REFRESH_TOKEN_REUSED',
      status: 401,
    })
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
    const out = await fake.upload<{ id: number }>('/p', {
      filePath: 'wxfile://tmp/a.jpg',
      onProgress: (p) => progress.push(p),
      headers: { 'X-Test': '1' },
    })
    // a JSON text body (wx.uploadFile gives text) is left for the caller as-is when the uploader returns it
    expect(out).toBe(JSON.stringify({ id: 7 }))
    expect(progress).toEqual([50, 100])
    expect(seen[0]).toMatchObject({
      url: 'https://api.example/api/v1/p',
      filePath: 'wxfile://tmp/a.jpg',
      name: 'file',
      headers: { Authorization: 'Bearer access-0', 'X-Test': '1', Accept: 'application/json' },
    })
    expect(seen[0]!.headers['Content-Type']).toBeUndefined()
  })
})

// --- the photo picker as a resident uses it: pick, make ready, upload, and the states on each tile ---------------

const dom = mountPerTest()

function Picker({ cid }: { cid: number }) {
  const uploads = usePhotoUploads(cid, 9)
  return <PhotoPicker id='ph' item='p' uploads={uploads} />
}

/** Let the queue and the server answer, inside act(), until `done` holds. */
async function until(done: () => boolean, what: string) {
  for (let i = 0; i < 200 && !done(); i++) await act(() => new Promise((r) => setTimeout(r, 15)))
  if (!done()) throw new Error(`timed out waiting for ${what}: ${dom.host.innerHTML}`)
}

const tile = (i: number) => dom.$(`#p-${i}`)!
const tileState = (i: number) => tile(i)?.getAttribute('data-state')

/** The blob: URLs the page made (happy-dom cannot fetch them back): what the uploader reads. */
const blobs = new Map<string, Blob>()

/** Tap "+ 拍照/相册" and choose these files in the file input that opens. */
function pickFiles(files: { name: string; bytes: Buffer; type: string }[]) {
  dom.click('#p-add')
  const input = document.body.querySelector('input[type=file]') as HTMLInputElement
  expect(input.accept).toBe('image/*')
  Object.defineProperty(input, 'files', {
    value: files.map((f) => new File([new Uint8Array(f.bytes)], f.name, { type: f.type })),
  })
  act(() => {
    input.dispatchEvent(new Event('change'))
  })
}

beforeAll(() => {
  const createObjectURL = URL.createObjectURL.bind(URL)
  vi.spyOn(URL, 'createObjectURL').mockImplementation((b: Blob | MediaSource) => {
    const url = createObjectURL(b as Blob)
    blobs.set(url, b as Blob)
    return url
  })
  // WeChat's uploadFile reads the file at filePath and posts it as multipart/form-data (like Taro's H5 one)
  ;(Taro as unknown as Record<string, unknown>).uploadFile = (o: Taro.uploadFile.Option) => {
    const listeners: ((p: { progress: number }) => void)[] = []
    const run = async () => {
      const file = blobs.get(o.filePath)
      if (!file) throw new Error(`no file at ${o.filePath}`)
      const form = new FormData()
      form.append(o.name, file, 'photo')
      for (const l of listeners) l({ progress: 40 })
      const res = await fetch(`${baseUrl}${o.url}`, {
        method: 'POST',
        headers: o.header as Record<string, string>,
        body: form,
      })
      o.success?.({
        statusCode: res.status,
        data: await res.text(),
        errMsg: 'uploadFile:ok',
      } as Taro.uploadFile.SuccessCallbackResult)
    }
    void run().catch((e: Error) => o.fail?.({ errMsg: `uploadFile:fail ${e.message}` }))
    return { onProgressUpdate: (l: (p: { progress: number }) => void) => listeners.push(l) }
  }
})

describe('the photo picker: upload states', () => {
  const photo = () => ({ name: 'leak.png', bytes: png(), type: 'image/png' })

  it('says the limit, uploads a photo that needs no compression as it is, and shows 已上传', async () => {
    taroTokenStore.save({ accessToken: 'access-0', refreshToken: 'refresh-0' })
    dom.render(<Picker cid={1} />)
    expect(dom.$('#p-limit')!.textContent).toBe(
      `较大的照片会自动压缩；每张不超过 ${megabytes(PHOTO_MAX_BYTES)}，支持 JPG、PNG、WebP。`,
    )
    const p = photo()
    pickFiles([p])
    await until(() => tileState(0) === 'done', 'the upload')
    expect(dom.$('#p-0-progress')!.textContent).toBe('已上传')
    expect(tile(0).getAttribute('data-photo-id')).toBe('101')
    expect(tile(0).getAttribute('data-bytes')).toBe(String(p.bytes.length))
    expect(photoPosts).toHaveLength(1)
    expect(photoPosts[0]!.body.includes(p.bytes)).toBe(true)
    expect(dom.$('#p-0-error')).toBeNull()
  })

  it('refuses a file that is not a photo before sending it, and names the problem', async () => {
    taroTokenStore.save({ accessToken: 'access-0', refreshToken: 'refresh-0' })
    dom.render(<Picker cid={1} />)
    pickFiles([{ name: 'notes.txt', bytes: Buffer.from('楼道灯坏了，请尽快修理'), type: 'text/plain' }])
    await until(() => tileState(0) === 'failed', 'the refusal')
    expect(dom.$('#p-0-progress')!.textContent).toBe('无法上传')
    expect(dom.$('#p-0-error')!.textContent).toBe(NOT_A_PHOTO_TEXT)
    expect(tile(0).querySelector('img, taro-image-core, .photo__img')).toBeNull()
    expect(dom.$('#p-0-not-image')!.textContent).toBe('不是照片')
    expect(photoPosts).toHaveLength(0)
    // no retry for what would fail the same way: a tap on the tile does nothing
    dom.click('#p-0-progress')
    await act(() => new Promise((r) => setTimeout(r, 50)))
    expect(tileState(0)).toBe('failed')
    expect(photoPosts).toHaveLength(0)
  })

  it('says the limit plainly when the BFF refuses a photo as too large, and offers no retry', async () => {
    taroTokenStore.save({ accessToken: 'access-0', refreshToken: 'refresh-0' })
    dom.render(<Picker cid={413} />)
    pickFiles([photo()])
    await until(() => tileState(0) === 'failed', 'the refusal')
    expect(tile(0).getAttribute('data-permanent')).toBe('true')
    expect(dom.$('#p-0-progress')!.textContent).toBe('无法上传')
    expect(dom.$('#p-0-error')!.textContent).toBe('照片超过 5 MB，无法上传。请删除后换一张。')
    dom.click('#p-0-progress')
    await act(() => new Promise((r) => setTimeout(r, 50)))
    expect(photoPosts).toHaveLength(1)
  })

  it('names the problem when the BFF refuses the image format', async () => {
    taroTokenStore.save({ accessToken: 'access-0', refreshToken: 'refresh-0' })
    dom.render(<Picker cid={415} />)
    pickFiles([photo(), photo()])
    await until(() => tileState(0) === 'failed' && tileState(1) === 'failed', 'both refusals')
    expect(dom.$('#p-1-error')!.textContent).toBe(`第 2 张：${PHOTO_FORMAT_REFUSED_TEXT}`)
    expect(dom.$('#p-0-progress')!.textContent).toBe('无法上传')
  })

  it('keeps a retry for a network failure, and the retry sends the photo', async () => {
    taroTokenStore.save({ accessToken: 'access-0', refreshToken: 'refresh-0' })
    dom.render(<Picker cid={1} />)
    dropNextPhoto = true
    pickFiles([photo()])
    await until(() => tileState(0) === 'failed', 'the failure')
    expect(tile(0).getAttribute('data-permanent')).toBe('false')
    expect(dom.$('#p-0-progress')!.textContent).toBe('失败，点此重试')
    expect(dom.$('#p-0-error')!.textContent).toBe(PHOTO_NETWORK_TEXT)
    dom.click('#p-0-progress')
    await until(() => tileState(0) === 'done', 'the retry')
    expect(photoPosts).toHaveLength(2)
    expect(dom.$('#p-0-error')).toBeNull()
  })

  it('labels each state on the tile: compressing, uploading with progress, done, failed with or without retry', () => {
    const retry = vi.fn()
    const photos: LocalPhoto[] = [
      { key: 1, path: 'a', state: 'uploading', progress: 0, compressing: true },
      { key: 2, path: 'b', state: 'uploading', progress: 35 },
      { key: 3, path: 'c', state: 'done', progress: 100, photoId: 9 },
      { key: 4, path: 'd', state: 'failed', progress: 0, error: PHOTO_NETWORK_TEXT },
      { key: 5, path: 'e', state: 'failed', progress: 0, error: PHOTO_TOO_LARGE_TEXT, permanent: true },
    ]
    dom.render(
      <PhotoPicker
        id='ph'
        item='s'
        uploads={{
          photos,
          photoIds: [9],
          uploading: 2,
          max: 5,
          add: async () => undefined,
          remove: () => undefined,
          retry,
        }}
      />,
    )
    expect([0, 1, 2, 3, 4].map((i) => dom.$(`#s-${i}-progress`)!.textContent)).toEqual([
      '压缩中…',
      '上传中 35%',
      '已上传',
      '失败，点此重试',
      '无法上传',
    ])
    expect(dom.$('#s-add')).toBeNull() // full
    dom.click('#s-4-progress')
    expect(retry).not.toHaveBeenCalled()
    dom.click('#s-3-progress')
    expect(retry).toHaveBeenCalledWith(photos[3])
    expect(dom.$('#s-4-error')!.textContent).toBe(`第 5 张：${PHOTO_TOO_LARGE_TEXT}`)
  })
})
