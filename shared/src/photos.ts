/**
 * Uploaded photos (a service request's, a proxy's signed authorisation, …): the one limit both sides use. The
 * BFF refuses a larger file with PAYLOAD_TOO_LARGE (413) and anything that is not a JPEG, PNG or WebP by its own
 * bytes with UNSUPPORTED_MEDIA_TYPE (415); the mini-program makes a phone photo smaller before sending it and
 * says the same limit in words.
 */

/** The largest photo the BFF takes, in bytes (5 MB). */
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024

/**
 * Before uploading, a photo larger than this is scaled down and re-encoded as JPEG on the phone: a 12-megapixel
 * camera photo of 5–10 MB becomes a few hundred KB, still sharp enough to see a leak or a broken lamp.
 */
export const PHOTO_COMPRESS_ABOVE_BYTES = 1024 * 1024
/** the long side of a scaled-down photo, in pixels */
export const PHOTO_MAX_SIDE = 1920
/** JPEG quality of a scaled-down photo (0–1) */
export const PHOTO_JPEG_QUALITY = 0.8

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const
export type PhotoType = (typeof PHOTO_TYPES)[number]
/** what a resident reads for the formats taken */
export const PHOTO_FORMATS_ZH = 'JPG、PNG、WebP'

/** "5 MB": the limit as a resident reads it. */
export function megabytes(bytes: number): string {
  const mb = bytes / 1024 / 1024
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`
}

/**
 * The type of an image by its first bytes (never by its name or declared type), or null for anything else.
 * The BFF decides with this; the mini-program uses it to refuse a file that is not a photo before sending it.
 */
export function sniffImageType(bytes: Uint8Array): PhotoType | null {
  const at = (i: number) => bytes[i]
  if (bytes.length >= 3 && at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg'
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  if (bytes.length >= 8 && png.every((b, i) => at(i) === b)) return 'image/png'
  const ascii = (from: number, to: number) => String.fromCharCode(...Array.from(bytes.subarray(from, to)))
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp'
  return null
}
