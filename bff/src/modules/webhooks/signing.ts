import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * Standard Webhooks signatures (domain.md §7): HMAC-SHA256 over `${id}.${timestamp}.${body}` with the
 * base64-decoded `whsec_` secret, sent as `v1,<base64>`; several space-separated during a secret rotation.
 */
export const SECRET_PREFIX = 'whsec_'
export const TOLERANCE_SECONDS = 5 * 60

export function generateSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`
}

export function secretKey(secret: string): Buffer {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64')
  if (key.length < 16) throw new Error('webhook secret too short')
  return key
}

/** `v1,<base64>` for one secret */
export function sign(secret: string, msgId: string, timestamp: number, body: string | Buffer): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${msgId}.${timestamp}.`).update(body).digest('base64')
  return `v1,${mac}`
}

/** The header value for the current secret and, during a rotation, the previous one (new first). */
export function signatureHeader(secrets: string[], msgId: string, timestamp: number, body: string | Buffer): string {
  return secrets.map((s) => sign(s, msgId, timestamp, body)).join(' ')
}

export type VerifyFailure = 'signature' | 'timestamp'

export function checkTimestamp(header: string | undefined, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  if (!header || !/^\d{1,12}$/.test(header)) return false
  return Math.abs(nowSeconds - Number(header)) <= TOLERANCE_SECONDS
}

/**
 * True when one of the `v1,` signatures in the header matches one of the secrets. Every candidate is compared
 * in constant time (and all are compared: no early exit that would tell which one matched).
 */
export function verifySignature(
  secrets: string[],
  msgId: string,
  timestamp: string,
  body: Buffer,
  header: string,
): boolean {
  const expected = secrets.map((s) => Buffer.from(sign(s, msgId, Number(timestamp), body).slice(3)))
  let ok = false
  for (const part of header.split(' ').slice(0, 10)) {
    const comma = part.indexOf(',')
    if (comma < 0 || part.slice(0, comma) !== 'v1') continue
    const given = Buffer.from(part.slice(comma + 1))
    for (const e of expected) if (given.length === e.length && timingSafeEqual(given, e)) ok = true
  }
  return ok
}
