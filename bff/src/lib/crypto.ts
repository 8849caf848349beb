import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * Personal data at rest: AES-256-GCM for values we must read back (phone), plus an HMAC "blind index" so equal
 * phones can be matched without decrypting. Both keys derive from DATA_KEY.
 */
export class DataProtector {
  private readonly encKey: Buffer
  private readonly macKey: Buffer
  constructor(dataKey: Buffer) {
    this.encKey = createHmac('sha256', dataKey).update('linli:enc:v1').digest()
    this.macKey = createHmac('sha256', dataKey).update('linli:mac:v1').digest()
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv)
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url')}`
  }

  decrypt(sealed: string): string {
    const [version, payload] = sealed.split('.', 2)
    if (version !== 'v1' || !payload) throw new Error('unknown ciphertext version')
    const buf = Buffer.from(payload, 'base64url')
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, buf.subarray(0, 12))
    decipher.setAuthTag(buf.subarray(12, 28))
    return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8')
  }

  blindIndex(value: string): string {
    return createHmac('sha256', this.macKey).update(value).digest('hex')
  }
}

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex')
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url')

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
