import { describe, expect, it } from 'vitest'
import { ErrorCodes, errorMessageZh, isErrorCode, type ErrorCode } from '../src/errors'

const entries = Object.entries(ErrorCodes) as [ErrorCode, { status: number; zh: string }][]

describe('ErrorCodes', () => {
  it('is not empty', () => {
    expect(entries.length).toBeGreaterThan(10)
  })

  it.each(entries)('%s has a 4xx/5xx status and a Chinese message', (code, { status, zh }) => {
    expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/)
    expect(Number.isInteger(status)).toBe(true)
    expect(status).toBeGreaterThanOrEqual(400)
    expect(status).toBeLessThan(600)
    expect(zh.trim().length).toBeGreaterThan(0)
    expect(zh).toMatch(/[\u4e00-\u9fff]/)
  })

  it('uses the statuses clients rely on', () => {
    expect(ErrorCodes.VALIDATION_FAILED.status).toBe(400)
    expect(ErrorCodes.UNAUTHENTICATED.status).toBe(401)
    expect(ErrorCodes.FORBIDDEN.status).toBe(403)
    expect(ErrorCodes.NOT_FOUND.status).toBe(404)
    expect(ErrorCodes.INVALID_TRANSITION.status).toBe(409)
    expect(ErrorCodes.PAYLOAD_TOO_LARGE.status).toBe(413)
    expect(ErrorCodes.UNSUPPORTED_MEDIA_TYPE.status).toBe(415)
    expect(ErrorCodes.RATE_LIMITED.status).toBe(429)
    expect(ErrorCodes.INTERNAL.status).toBe(500)
    expect(ErrorCodes.SERVICE_UNAVAILABLE.status).toBe(503)
  })
})

describe('isErrorCode / errorMessageZh', () => {
  it('knows every listed code and gives its message', () => {
    for (const [code, { zh }] of entries) {
      expect(isErrorCode(code)).toBe(true)
      expect(errorMessageZh(code)).toBe(zh)
    }
  })

  it('falls back to the generic message for anything else', () => {
    for (const other of [
      'NOPE',
      'forbidden',
      '',
      undefined,
      null,
      42,
      {},
      'toString',
      'constructor',
      '__proto__',
      'hasOwnProperty',
    ]) {
      expect(isErrorCode(other), String(other)).toBe(false)
      expect(errorMessageZh(other)).toBe(ErrorCodes.INTERNAL.zh)
    }
  })
})
