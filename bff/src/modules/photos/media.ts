import { createHmac } from 'node:crypto'
import { safeEqual } from '../../lib/crypto'

/**
 * Photo links. An <Image> in the mini-program (and a property company's system) cannot send our bearer token,
 * so the BFF hands out signed, expiring links — only in the answers of people allowed to see what the photo
 * belongs to — and the media route checks the signature instead of a session. The key derives from DATA_KEY.
 */
export const MEDIA_PATH = '/api/v1/media/photos'
const HOUR = 3_600_000
/** residents' views: valid 1–2 h (rounded to the hour, so repeated reads give the same cacheable URL) */
export const VIEW_TTL_MS = HOUR
/** links inside webhooks: the handler may open them days later */
export const WEBHOOK_TTL_MS = 7 * 24 * HOUR

export class MediaSigner {
  private readonly key: Buffer
  constructor(dataKey: Buffer) {
    this.key = createHmac('sha256', dataKey).update('linli:media:v1').digest()
  }

  private sig(photoId: number, exp: number): string {
    return createHmac('sha256', this.key).update(`photo.${photoId}.${exp}`).digest('base64url')
  }

  /** `exp` in Unix seconds, rounded up to the next full hour after now + ttl */
  path(photoId: number, ttlMs: number, now = Date.now()): string {
    const exp = Math.ceil((now + ttlMs) / HOUR) * (HOUR / 1000)
    return `${MEDIA_PATH}/${photoId}?exp=${exp}&sig=${this.sig(photoId, exp)}`
  }

  verify(photoId: number, exp: number, sig: string, now = Date.now()): 'ok' | 'expired' | 'invalid' {
    if (!safeEqual(this.sig(photoId, exp), sig)) return 'invalid'
    return exp * 1000 > now ? 'ok' : 'expired'
  }
}
