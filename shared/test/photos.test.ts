import { describe, expect, it } from 'vitest'
import { megabytes, PHOTO_COMPRESS_ABOVE_BYTES, PHOTO_MAX_BYTES, PHOTO_MAX_SIDE, sniffImageType } from '../src/photos'

describe('the photo limit, one number for the BFF and the mini-program', () => {
  it('is 5 MB, said as a resident reads it; photos above 1 MB are made smaller first', () => {
    expect(PHOTO_MAX_BYTES).toBe(5 * 1024 * 1024)
    expect(megabytes(PHOTO_MAX_BYTES)).toBe('5 MB')
    expect(megabytes(1.5 * 1024 * 1024)).toBe('1.5 MB')
    expect(PHOTO_COMPRESS_ABOVE_BYTES).toBeLessThan(PHOTO_MAX_BYTES)
    expect(PHOTO_MAX_SIDE).toBeGreaterThanOrEqual(1600)
    expect(PHOTO_MAX_SIDE).toBeLessThanOrEqual(2048)
  })
})

/** the bytes of an ASCII string */
const enc = (s: string) => Uint8Array.from(Array.from(s, (c) => c.charCodeAt(0)))

describe('an image by its own bytes', () => {
  it('knows JPEG, PNG and WebP by their signatures', () => {
    expect(sniffImageType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg')
    expect(sniffImageType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).toBe(
      'image/png',
    )
    expect(sniffImageType(enc('RIFF\u0000\u0000\u0000\u0000WEBPVP8L'))).toBe('image/webp')
  })

  it('refuses anything else whatever it is called: text, PDF, GIF, HEIC, an empty file, a cut-off signature', () => {
    expect(sniffImageType(enc('#!/bin/sh\necho not a photo'))).toBeNull()
    expect(sniffImageType(enc('%PDF-1.7'))).toBeNull()
    expect(sniffImageType(enc('GIF89a'))).toBeNull()
    expect(sniffImageType(enc('\u0000\u0000\u0000\u0018ftypheic'))).toBeNull()
    expect(sniffImageType(new Uint8Array())).toBeNull()
    expect(sniffImageType(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBeNull()
    expect(sniffImageType(enc('RIFF\u0000\u0000\u0000\u0000WAVE'))).toBeNull()
  })
})
