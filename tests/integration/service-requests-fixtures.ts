import { randomBytes } from 'node:crypto'
import { crc32, deflateSync } from 'node:zlib'
import { communityPropertyContracts, propertyCompanies } from '@linli/bff/db/schema'
import type { TestEnv } from '../helpers/app'

/** Shared by the service-request integration tests: tiny real images with location metadata, multipart bodies. */

export const srApi = (cid: number, path = '') => `/api/v1/communities/${cid}/service-requests${path}`
/** where any feature's photos are uploaded before they are attached */
export const photoApi = (cid: number) => `/api/v1/communities/${cid}/photos`
export const categoriesApi = (cid: number, path = '') => `/api/v1/communities/${cid}/service-categories${path}`

const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff])
const segment = (marker: number, payload: Buffer) =>
  Buffer.concat([Buffer.from([0xff, marker]), u16(payload.length + 2), payload])

/** GPS latitude 31°14'24.00" N, longitude 121°28'12.00" E as EXIF rationals (big-endian): what must not survive. */
export const GPS_RATIONALS = Buffer.from([
  0,
  0,
  0,
  31,
  0,
  0,
  0,
  1,
  0,
  0,
  0,
  14,
  0,
  0,
  0,
  1,
  0,
  0,
  9,
  96,
  0,
  0,
  0,
  100, // 31/1 14/1 2400/100
  0,
  0,
  0,
  121,
  0,
  0,
  0,
  1,
  0,
  0,
  0,
  28,
  0,
  0,
  0,
  1,
  0,
  0,
  4,
  176,
  0,
  0,
  0,
  100, // 121/1 28/1 1200/100
])

/** A TIFF block (big-endian): IFD0 = Orientation 6 + GPSInfo pointer; GPS IFD = N, latitude, E, longitude. */
function exifTiff(): Buffer {
  const ifd0 = 8
  const ifd0Size = 2 + 2 * 12 + 4
  const gpsIfd = ifd0 + ifd0Size
  const gpsIfdSize = 2 + 4 * 12 + 4
  const data = gpsIfd + gpsIfdSize
  const b = Buffer.alloc(data + GPS_RATIONALS.length)
  b.write('MM', 0, 'latin1')
  b.writeUInt16BE(42, 2)
  b.writeUInt32BE(ifd0, 4)
  b.writeUInt16BE(2, ifd0)
  const entry = (at: number, tag: number, type: number, count: number, value: (o: number) => void) => {
    b.writeUInt16BE(tag, at)
    b.writeUInt16BE(type, at + 2)
    b.writeUInt32BE(count, at + 4)
    value(at + 8)
  }
  entry(ifd0 + 2, 0x0112, 3, 1, (o) => b.writeUInt16BE(6, o)) // Orientation: rotate 90° CW
  entry(ifd0 + 14, 0x8825, 4, 1, (o) => b.writeUInt32BE(gpsIfd, o)) // GPSInfo
  b.writeUInt32BE(0, ifd0 + 26)
  b.writeUInt16BE(4, gpsIfd)
  entry(gpsIfd + 2, 0x0001, 2, 2, (o) => b.write('N\0', o, 'latin1'))
  entry(gpsIfd + 14, 0x0002, 5, 3, (o) => b.writeUInt32BE(data, o))
  entry(gpsIfd + 26, 0x0003, 2, 2, (o) => b.write('E\0', o, 'latin1'))
  entry(gpsIfd + 38, 0x0004, 5, 3, (o) => b.writeUInt32BE(data + 24, o))
  b.writeUInt32BE(0, gpsIfd + 50)
  GPS_RATIONALS.copy(b, data)
  return b
}

/**
 * A real 1×1 grey baseline JPEG (decodable: one DC coefficient 0, then end-of-block), with a JFIF APP0, an EXIF
 * APP1 carrying the orientation and a GPS position, an XMP APP1 and a comment.
 */
export function jpegWithGps(): Buffer {
  const jfif = segment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]))
  const exif = segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exifTiff()]))
  const xmp = segment(
    0xe1,
    Buffer.from(
      'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>31,14.4N</exif:GPSLatitude></x:xmpmeta>',
      'latin1',
    ),
  )
  const comment = segment(0xfe, Buffer.from('shot at 31.24N 121.47E', 'latin1'))
  const dqt = segment(0xdb, Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)]))
  const sof = segment(0xc0, Buffer.from([8, 0, 1, 0, 1, 1, 1, 0x11, 0]))
  const dhtDc = segment(0xc4, Buffer.from([0x00, 1, ...Array(15).fill(0), 0x00]))
  const dhtAc = segment(0xc4, Buffer.from([0x10, 1, ...Array(15).fill(0), 0x00]))
  const sos = segment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0]))
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    jfif,
    exif,
    xmp,
    comment,
    dqt,
    sof,
    dhtDc,
    dhtAc,
    sos,
    Buffer.from([0x3f]),
    Buffer.from([0xff, 0xd9]),
  ])
}

const pngChunk = (type: string, data: Buffer) => {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** A real 1×1 red PNG with an eXIf chunk (the same GPS TIFF) and an iTXt XMP chunk. */
export function pngWithExif(): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(1, 0)
  ihdr.writeUInt32BE(1, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('eXIf', exifTiff()),
    pngChunk('iTXt', Buffer.from('XML:com.adobe.xmp\0\0\0\0\0<exif:GPSLatitude>31,14.4N</exif:GPSLatitude>', 'latin1')),
    pngChunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

/** One file as multipart/form-data, as wx.uploadFile sends it. */
export function multipart(
  data: Buffer,
  filename = 'photo.jpg',
  type = 'image/jpeg',
  field = 'file',
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----linli${randomBytes(8).toString('hex')}`
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
  )
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  return {
    payload: Buffer.concat([head, data, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}

/** A property company under contract with the community from 2024 on. */
export async function contractCompany(env: TestEnv, communityId: number, name: string): Promise<number> {
  const [company] = await env.db
    .insert(propertyCompanies)
    .values({ name, creditCode: `91${randomBytes(8).toString('hex').toUpperCase()}`.slice(0, 18) })
    .$returningId()
  await env.db
    .insert(communityPropertyContracts)
    .values({ communityId, propertyCompanyId: company!.id, startsOn: '2024-01-01' })
  return company!.id
}

/** The Orientation tag of the first EXIF block of a JPEG, or null. */
export function jpegOrientation(jpeg: Buffer): number | null {
  const at = jpeg.indexOf(Buffer.from('Exif\0\0', 'latin1'))
  if (at < 0) return null
  const tiff = jpeg.subarray(at + 6)
  const le = tiff.toString('latin1', 0, 2) === 'II'
  const r16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o))
  const r32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o))
  const ifd = r32(4)
  for (let i = 0; i < r16(ifd); i++) if (r16(ifd + 2 + i * 12) === 0x0112) return r16(ifd + 2 + i * 12 + 8)
  return null
}

const riffChunk = (fourcc: string, data: Buffer) => {
  const head = Buffer.alloc(8)
  head.write(fourcc, 0, 'latin1')
  head.writeUInt32LE(data.length, 4)
  return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)])
}

/** A 1×1 lossless WebP in the extended format, flagged and carrying an EXIF chunk (the GPS TIFF) and XMP. */
export function webpWithExif(): Buffer {
  const vp8l = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64').subarray(12) // the VP8L chunk
  const vp8x = Buffer.alloc(10)
  vp8x[0] = 0x08 | 0x04 // EXIF and XMP present
  const chunks = Buffer.concat([
    riffChunk('VP8X', vp8x),
    vp8l,
    riffChunk('EXIF', exifTiff()),
    riffChunk('XMP ', Buffer.from('<exif:GPSLatitude>31,14.4N</exif:GPSLatitude>', 'latin1')),
  ])
  const head = Buffer.from('RIFF\0\0\0\0WEBP', 'latin1')
  head.writeUInt32LE(chunks.length + 4, 4)
  return Buffer.concat([head, chunks])
}
