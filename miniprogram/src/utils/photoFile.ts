import Taro from '@tarojs/taro'
import {
  megabytes,
  PHOTO_COMPRESS_ABOVE_BYTES,
  PHOTO_FORMATS_ZH,
  PHOTO_JPEG_QUALITY,
  PHOTO_MAX_BYTES,
  PHOTO_MAX_SIDE,
  sniffImageType,
} from '@linli/shared/photos'
import { isApiError } from '../services/http'

/**
 * A photo picked on the phone, made ready to upload: a large one (a camera's 5–10 MB) is scaled down to
 * PHOTO_MAX_SIDE on its long side and re-encoded as JPEG (WeChat: wx.compressImage; H5: a canvas), so it arrives
 * as a few hundred KB; a file that is not a photo, or one still over the BFF's limit (shared/src/photos.ts), is
 * refused here with a message that names the problem instead of being sent to fail.
 */

/** What the picker gave: the temp path (weapp) or blob: URL (H5), the size and type where known, the file (H5). */
export interface PickedPhoto {
  path: string
  size?: number
  type?: string
  file?: Blob
}

export interface ReadyPhoto {
  path: string
  size: number
  /** a new, smaller file was made (its path differs from the picked one) */
  compressed: boolean
}

export const PHOTO_LIMIT_TEXT = `较大的照片会自动压缩；每张不超过 ${megabytes(PHOTO_MAX_BYTES)}，支持 ${PHOTO_FORMATS_ZH}。`
export const PHOTO_TOO_LARGE_TEXT = `照片超过 ${megabytes(PHOTO_MAX_BYTES)}，压缩后仍然太大，无法上传。请删除后换一张。`
export const NOT_A_PHOTO_TEXT = `所选文件不是照片，无法上传。请删除后选择 ${PHOTO_FORMATS_ZH} 格式的照片。`
export const PHOTO_FORMAT_REFUSED_TEXT = `这张图片的格式无法识别，无法上传。请删除后换一张 ${PHOTO_FORMATS_ZH} 格式的照片。`
export const PHOTO_NETWORK_TEXT = '网络不好，照片没有传上去。请点照片重试。'

/** A photo that cannot be uploaded as it is; trying again will not help. */
export class PhotoRefused extends Error {
  override name = 'PhotoRefused'
  constructor(
    readonly reason: 'too_large' | 'not_image',
    message: string,
  ) {
    super(message)
  }
}

/** The size that fits `maxSide` on the long side, keeping the proportions (never enlarged). */
export function scaledSize(width: number, height: number, maxSide = PHOTO_MAX_SIDE): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height, 1))
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

/**
 * Why an upload failed, for the resident: the message, and whether a retry can help. Too large and not an
 * image are final (no retry: it would fail the same way); the network and a busy server are worth another try.
 */
export function uploadFailure(e: unknown): { message: string; permanent: boolean } {
  if (e instanceof PhotoRefused) return { message: e.message, permanent: true }
  if (isApiError(e)) {
    // 413 may also come from a proxy in front of the BFF, without our JSON
    if (e.code === 'PAYLOAD_TOO_LARGE' || e.status === 413)
      return { message: `照片超过 ${megabytes(PHOTO_MAX_BYTES)}，无法上传。请删除后换一张。`, permanent: true }
    if (e.code === 'UNSUPPORTED_MEDIA_TYPE' || e.status === 415)
      return { message: PHOTO_FORMAT_REFUSED_TEXT, permanent: true }
    if (e.code === 'NETWORK_ERROR') return { message: PHOTO_NETWORK_TEXT, permanent: false }
    // not allowed here (403/404) or a malformed request: the same photo would be refused again
    if (e.status === 400 || e.status === 403 || e.status === 404) return { message: e.message, permanent: true }
    return { message: `${e.message}。可点照片重试。`, permanent: false }
  }
  return { message: PHOTO_NETWORK_TEXT, permanent: false }
}

/** Makes a picked photo ready to upload (see above); throws PhotoRefused. */
export function preparePhoto(p: PickedPhoto): Promise<ReadyPhoto> {
  return process.env.TARO_ENV === 'weapp' ? prepareWeapp(p) : prepareH5(p)
}

// --- WeChat ---------------------------------------------------------------------------------------------------

function fileSize(filePath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    try {
      Taro.getFileSystemManager().getFileInfo({ filePath, success: (r) => resolve(r.size), fail: reject })
    } catch (e) {
      reject(e)
    }
  }).catch(() => Taro.getFileInfo({ filePath }).then((r) => (r as { size: number }).size)) as Promise<number>
}

async function prepareWeapp(p: PickedPhoto): Promise<ReadyPhoto> {
  const size = p.size ?? (await fileSize(p.path))
  if (size <= PHOTO_COMPRESS_ABOVE_BYTES) return { path: p.path, size, compressed: false }
  let info: Taro.getImageInfo.SuccessCallbackResult
  try {
    info = await Taro.getImageInfo({ src: p.path })
  } catch {
    throw new PhotoRefused('not_image', NOT_A_PHOTO_TEXT)
  }
  const options: Taro.compressImage.Option = { src: p.path, quality: Math.round(PHOTO_JPEG_QUALITY * 100) }
  // one side given: WeChat scales the other in proportion
  if (Math.max(info.width, info.height) > PHOTO_MAX_SIDE) {
    if (info.width >= info.height) options.compressedWidth = PHOTO_MAX_SIDE
    else options.compressedHeight = PHOTO_MAX_SIDE
  }
  let out: { path: string; size: number } | null = null
  try {
    const res = await Taro.compressImage(options)
    out = { path: res.tempFilePath, size: await fileSize(res.tempFilePath) }
  } catch {
    out = null // an old base library or an odd file: judge the original by its size
  }
  const best = out && out.size < size ? out : { path: p.path, size }
  if (best.size > PHOTO_MAX_BYTES) throw new PhotoRefused('too_large', PHOTO_TOO_LARGE_TEXT)
  return { ...best, compressed: best.path !== p.path }
}

// --- H5 (the demo and the browser tests) ---------------------------------------------------------------------

interface Decoded {
  width: number
  height: number
  source: CanvasImageSource
  close: () => void
}

/** The browser decodes it (and turns it upright by its EXIF orientation), or throws. */
async function decode(blob: Blob): Promise<Decoded> {
  if (typeof createImageBitmap === 'function') {
    const bitmap = await createImageBitmap(blob)
    return { width: bitmap.width, height: bitmap.height, source: bitmap, close: () => bitmap.close() }
  }
  const url = URL.createObjectURL(blob)
  try {
    const img = await new Promise<HTMLImageElement>((resolve, reject) => {
      const el = new Image()
      el.onload = () => resolve(el)
      el.onerror = () => reject(new Error('not an image'))
      el.src = url
    })
    return { width: img.naturalWidth, height: img.naturalHeight, source: img, close: () => undefined }
  } finally {
    URL.revokeObjectURL(url)
  }
}

function toJpeg(canvas: HTMLCanvasElement): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', PHOTO_JPEG_QUALITY))
}

/**
 * H5: a file input of our own. Taro's H5 chooseImage decodes every file first and drops one it cannot decode
 * without a word; here a file that is not a photo reaches preparePhoto and is refused with a message.
 */
export function pickPhotosH5(count: number): Promise<PickedPhoto[]> {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = 'image/*'
    input.multiple = count > 1
    input.setAttribute('style', 'position: fixed; top: -4000px; left: -4000px; opacity: 0')
    input.onchange = () => {
      const files = Array.from(input.files ?? []).slice(0, count)
      input.remove()
      resolve(files.map((file) => ({ path: URL.createObjectURL(file), size: file.size, type: file.type, file })))
    }
    input.addEventListener('cancel', () => {
      input.remove()
      reject(new Error('cancelled'))
    })
    document.body.appendChild(input)
    input.click()
  })
}

async function prepareH5(p: PickedPhoto): Promise<ReadyPhoto> {
  const blob = p.file ?? (await (await fetch(p.path)).blob())
  const known = sniffImageType(new Uint8Array(await blob.slice(0, 16).arrayBuffer()))
  const declared = p.type || blob.type
  if (!known && declared && !declared.startsWith('image/')) throw new PhotoRefused('not_image', NOT_A_PHOTO_TEXT)
  if (known && blob.size <= PHOTO_COMPRESS_ABOVE_BYTES) return { path: p.path, size: blob.size, compressed: false }

  let image: Decoded
  try {
    image = await decode(blob)
  } catch {
    // a photo type the browser could not open (too big for its memory?): send it if it fits, else say why
    if (!known) throw new PhotoRefused('not_image', NOT_A_PHOTO_TEXT)
    if (blob.size > PHOTO_MAX_BYTES) throw new PhotoRefused('too_large', PHOTO_TOO_LARGE_TEXT)
    return { path: p.path, size: blob.size, compressed: false }
  }
  let out: Blob | null = null
  try {
    const size = scaledSize(image.width, image.height)
    const canvas = document.createElement('canvas')
    canvas.width = size.width
    canvas.height = size.height
    const ctx = canvas.getContext('2d')
    if (ctx) {
      // JPEG has no transparency: a PNG's clear parts become white, not black
      ctx.fillStyle = '#fff'
      ctx.fillRect(0, 0, size.width, size.height)
      ctx.drawImage(image.source, 0, 0, size.width, size.height)
      out = await toJpeg(canvas)
    }
  } finally {
    image.close()
  }
  // a GIF or HEIC the browser could read goes as the JPEG (the BFF takes JPEG, PNG, WebP); a photo keeps the smaller
  const best = out && (!known || out.size < blob.size) ? out : known ? blob : null
  if (!best) throw new PhotoRefused('not_image', NOT_A_PHOTO_TEXT)
  if (best.size > PHOTO_MAX_BYTES) throw new PhotoRefused('too_large', PHOTO_TOO_LARGE_TEXT)
  if (best === blob) return { path: p.path, size: blob.size, compressed: false }
  return { path: URL.createObjectURL(best), size: best.size, compressed: true }
}
