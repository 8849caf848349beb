import { createHmac, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { DataProtector, randomToken, safeEqual, sha256Hex } from '../src/lib/crypto'

const key = () => randomBytes(32)

describe('DataProtector encrypt / decrypt', () => {
  it('round-trips, including non-ASCII and empty text', () => {
    const p = new DataProtector(key())
    for (const plain of ['13812341234', '', '王秀英', 'x'.repeat(500)]) expect(p.decrypt(p.encrypt(plain))).toBe(plain)
  })

  it('gives a different ciphertext each time, none containing the plain text', () => {
    const p = new DataProtector(key())
    const seen = new Set<string>()
    for (let i = 0; i < 20; i++) {
      const sealed = p.encrypt('13812341234')
      expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/)
      expect(sealed).not.toContain('13812341234')
      expect(Buffer.from(sealed.slice(3), 'base64url').toString('latin1')).not.toContain('13812341234')
      seen.add(sealed)
    }
    expect(seen.size).toBe(20)
  })

  it('a sealed phone fits the 128-character column', () => {
    expect(new DataProtector(key()).encrypt('13812341234').length).toBeLessThanOrEqual(128)
  })

  it('throws when any byte of the ciphertext, tag or iv is changed', () => {
    const p = new DataProtector(key())
    const sealed = p.encrypt('13812341234')
    const raw = Buffer.from(sealed.slice(3), 'base64url')
    for (const i of [0, 11, 12, 27, 28, raw.length - 1]) {
      const t = Buffer.from(raw)
      t[i] = t[i]! ^ 0x01
      expect(() => p.decrypt(`v1.${t.toString('base64url')}`), `byte ${i}`).toThrow()
    }
    // truncated
    expect(() => p.decrypt(`v1.${raw.subarray(0, raw.length - 1).toString('base64url')}`)).toThrow()
  })

  it('throws for another key, an unknown version or no payload', () => {
    const sealed = new DataProtector(key()).encrypt('13812341234')
    expect(() => new DataProtector(key()).decrypt(sealed)).toThrow()
    const p = new DataProtector(key())
    const mine = p.encrypt('13812341234')
    expect(() => p.decrypt(`v2.${mine.slice(3)}`)).toThrow(/version/)
    expect(() => p.decrypt('v1.')).toThrow()
    expect(() => p.decrypt('13812341234')).toThrow()
  })

  it('the same key decrypts across instances (restart, several servers)', () => {
    const k = key()
    expect(new DataProtector(Buffer.from(k)).decrypt(new DataProtector(k).encrypt('13900000000'))).toBe('13900000000')
  })
})

describe('DataProtector blindIndex', () => {
  it('is stable for a key and differs between values', () => {
    const k = key()
    const a = new DataProtector(k)
    const b = new DataProtector(Buffer.from(k))
    expect(a.blindIndex('13812341234')).toBe(a.blindIndex('13812341234'))
    expect(a.blindIndex('13812341234')).toBe(b.blindIndex('13812341234'))
    expect(a.blindIndex('13812341234')).not.toBe(a.blindIndex('13812341235'))
    expect(a.blindIndex('13812341234')).toMatch(/^[0-9a-f]{64}$/)
  })

  it('depends on the key and is not the plain sha256 of the value', () => {
    expect(new DataProtector(key()).blindIndex('13812341234')).not.toBe(
      new DataProtector(key()).blindIndex('13812341234'),
    )
    expect(new DataProtector(key()).blindIndex('13812341234')).not.toBe(sha256Hex('13812341234'))
  })

  it('is keyed by a derived key, not by DATA_KEY itself', () => {
    const k = Buffer.alloc(32, 3)
    const p = new DataProtector(k)
    expect(p.blindIndex('13812341234')).not.toBe(createHmac('sha256', k).update('13812341234').digest('hex'))
  })
})

describe('helpers', () => {
  it('sha256Hex matches a known vector', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  it('randomToken is url-safe and unique', () => {
    const t = randomToken()
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(randomToken()).not.toBe(t)
    expect(randomToken(16)).toHaveLength(22)
  })

  it('safeEqual compares exactly, including different lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true)
    expect(safeEqual('abc', 'abd')).toBe(false)
    expect(safeEqual('abc', 'abcd')).toBe(false)
    expect(safeEqual('', '')).toBe(true)
  })
})
