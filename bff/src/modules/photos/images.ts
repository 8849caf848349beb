/**
 * Uploaded photos: the type is decided by the file's own bytes (never by its name or the declared
 * content type), the file must parse as that type, and metadata that can carry a location (EXIF with GPS, XMP,
 * IPTC, text chunks) is removed before anything is stored. A JPEG keeps only its orientation, written as a fresh
 * one-tag EXIF block, so phone photos are not shown sideways.
 */
import { sniffImageType as sniffShared, type PhotoType } from '@linli/shared/photos'

export type ImageType = PhotoType

export interface CleanImage {
  contentType: ImageType
  ext: 'jpg' | 'png' | 'webp'
  body: Buffer
  /** what was taken out, e.g. ['exif', 'xmp'] (for the log / tests) */
  removed: string[]
}

export class ImageRejected extends Error {
  override name = 'ImageRejected'
}

/** By the file's own bytes: the same function the mini-program uses to refuse a non-photo before sending it. */
export function sniffImageType(buf: Buffer): ImageType | null {
  return sniffShared(buf)
}

/** Parses the image, strips location-bearing metadata, and returns the cleaned bytes; throws ImageRejected. */
export function cleanImage(buf: Buffer): CleanImage {
  const type = sniffImageType(buf)
  if (type === 'image/jpeg') return { contentType: type, ext: 'jpg', ...stripJpeg(buf) }
  if (type === 'image/png') return { contentType: type, ext: 'png', ...stripPng(buf) }
  if (type === 'image/webp') return { contentType: type, ext: 'webp', ...stripWebp(buf) }
  throw new ImageRejected('not a JPEG, PNG or WebP image')
}

// --- JPEG -----------------------------------------------------------------------------------------------------

const EXIF_HEADER = Buffer.from('Exif\0\0', 'latin1')

function stripJpeg(buf: Buffer): { body: Buffer; removed: string[] } {
  const parts: Buffer[] = [buf.subarray(0, 2)]
  const removed: string[] = []
  let orientation = 1
  let pos = 2
  let afterApp0 = 1 // index in parts after which a fresh EXIF block goes (after SOI, or after a JFIF APP0)
  for (;;) {
    if (pos >= buf.length || buf[pos] !== 0xff) throw new ImageRejected('not a valid JPEG (broken marker)')
    while (buf[pos] === 0xff && pos < buf.length) pos++ // fill bytes
    if (pos >= buf.length) throw new ImageRejected('not a valid JPEG (truncated)')
    const marker = buf[pos]!
    const start = pos - 1
    pos++
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      parts.push(buf.subarray(start, pos))
      continue
    }
    if (marker === 0xd8 || marker === 0xd9) throw new ImageRejected('not a valid JPEG (no image data)')
    if (pos + 2 > buf.length) throw new ImageRejected('not a valid JPEG (truncated)')
    const len = buf.readUInt16BE(pos)
    if (len < 2 || pos + len > buf.length) throw new ImageRejected('not a valid JPEG (bad segment length)')
    const end = pos + len
    if (marker === 0xda) {
      // start of scan: the compressed data follows up to EOI; copied as it is
      parts.push(buf.subarray(start))
      break
    }
    const payload = buf.subarray(pos + 2, end)
    if (marker === 0xe1) {
      if (payload.subarray(0, 6).equals(EXIF_HEADER)) {
        orientation = exifOrientation(payload.subarray(6)) ?? orientation
        removed.push('exif')
      } else {
        removed.push(payload.toString('latin1', 0, 29).startsWith('http://ns.adobe.com/') ? 'xmp' : 'app1')
      }
    } else if (marker === 0xed) {
      removed.push('iptc')
    } else if (marker === 0xfe) {
      removed.push('comment')
    } else {
      parts.push(buf.subarray(start, end))
      if (marker === 0xe0 && parts.length === 2) afterApp0 = 2
    }
    pos = end
  }
  if (orientation !== 1) parts.splice(afterApp0, 0, orientationExif(orientation))
  return { body: Buffer.concat(parts), removed }
}

/** The Orientation tag (0x0112) of IFD0 in a TIFF block, if present and sane. */
function exifOrientation(tiff: Buffer): number | null {
  if (tiff.length < 8) return null
  const order = tiff.toString('latin1', 0, 2)
  if (order !== 'II' && order !== 'MM') return null
  const le = order === 'II'
  const u16 = (o: number) => (o + 2 <= tiff.length ? (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o)) : -1)
  const u32 = (o: number) => (o + 4 <= tiff.length ? (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o)) : -1)
  if (u16(2) !== 42) return null
  const ifd = u32(4)
  if (ifd < 8 || ifd + 2 > tiff.length) return null
  const count = u16(ifd)
  for (let i = 0; i < count; i++) {
    const e = ifd + 2 + i * 12
    if (e + 12 > tiff.length) return null
    if (u16(e) === 0x0112 && u16(e + 2) === 3) {
      const v = u16(e + 8)
      return v >= 1 && v <= 8 ? v : null
    }
  }
  return null
}

/** An APP1 segment holding nothing but IFD0 with one tag: Orientation. */
function orientationExif(orientation: number): Buffer {
  const tiff = Buffer.alloc(26)
  tiff.write('MM', 0, 'latin1')
  tiff.writeUInt16BE(42, 2)
  tiff.writeUInt32BE(8, 4)
  tiff.writeUInt16BE(1, 8) // one entry
  tiff.writeUInt16BE(0x0112, 10)
  tiff.writeUInt16BE(3, 12) // SHORT
  tiff.writeUInt32BE(1, 14)
  tiff.writeUInt16BE(orientation, 18)
  tiff.writeUInt32BE(0, 22) // no next IFD
  const header = Buffer.alloc(4)
  header.writeUInt16BE(0xffe1, 0)
  header.writeUInt16BE(2 + EXIF_HEADER.length + tiff.length, 2)
  return Buffer.concat([header, EXIF_HEADER, tiff])
}

// --- PNG ------------------------------------------------------------------------------------------------------

/** eXIf holds EXIF (GPS included); the text chunks may hold XMP or anything else someone wrote. */
const PNG_DROP = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt'])

function stripPng(buf: Buffer): { body: Buffer; removed: string[] } {
  const parts: Buffer[] = [buf.subarray(0, 8)]
  const removed: string[] = []
  let pos = 8
  let first = true
  for (;;) {
    if (pos + 12 > buf.length) throw new ImageRejected('not a valid PNG (truncated)')
    const len = buf.readUInt32BE(pos)
    const type = buf.toString('latin1', pos + 4, pos + 8)
    const end = pos + 12 + len
    if (!/^[A-Za-z]{4}$/.test(type) || end > buf.length) throw new ImageRejected('not a valid PNG (bad chunk)')
    if (first && type !== 'IHDR') throw new ImageRejected('not a valid PNG (no header)')
    first = false
    if (PNG_DROP.has(type)) removed.push(type)
    else parts.push(buf.subarray(pos, end))
    pos = end
    if (type === 'IEND') break // anything after the end is dropped too
  }
  return { body: Buffer.concat(parts), removed }
}

// --- WebP -----------------------------------------------------------------------------------------------------

function stripWebp(buf: Buffer): { body: Buffer; removed: string[] } {
  const declared = buf.readUInt32LE(4)
  if (declared + 8 > buf.length || declared < 4) throw new ImageRejected('not a valid WebP (bad RIFF size)')
  const limit = 8 + declared
  const chunks: Buffer[] = []
  const removed: string[] = []
  let pos = 12
  while (pos < limit) {
    if (pos + 8 > limit) throw new ImageRejected('not a valid WebP (truncated chunk)')
    const fourcc = buf.toString('latin1', pos, pos + 4)
    const size = buf.readUInt32LE(pos + 4)
    const end = pos + 8 + size + (size % 2)
    if (pos + 8 + size > limit) throw new ImageRejected('not a valid WebP (bad chunk size)')
    if (chunks.length === 0 && fourcc !== 'VP8 ' && fourcc !== 'VP8L' && fourcc !== 'VP8X')
      throw new ImageRejected('not a valid WebP (no image chunk)')
    if (fourcc === 'EXIF' || fourcc === 'XMP ') {
      removed.push(fourcc.trim().toLowerCase())
    } else {
      const chunk = Buffer.from(buf.subarray(pos, Math.min(end, limit)))
      if (fourcc === 'VP8X' && size >= 1) chunk[8] = chunk[8]! & ~(0x08 | 0x04) // no EXIF, no XMP any more
      chunks.push(chunk)
    }
    pos = end
  }
  if (chunks.length === 0) throw new ImageRejected('not a valid WebP (empty)')
  const body = Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBP', 'latin1'), ...chunks])
  body.writeUInt32LE(body.length - 8, 4)
  return { body, removed }
}
