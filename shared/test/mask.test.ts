import { describe, expect, it } from 'vitest'
import { PHONE_PATTERN, maskName, maskPhone, normalizePhone } from '../src/privacy/mask'

describe('normalizePhone', () => {
  it('accepts a plain mainland mobile number as is', () => {
    expect(normalizePhone('13812341234')).toBe('13812341234')
    expect(normalizePhone('19912345678')).toBe('19912345678')
  })

  it('strips a +86 / 86 country prefix, spaces and dashes', () => {
    expect(normalizePhone('+8613812341234')).toBe('13812341234')
    expect(normalizePhone('8613812341234')).toBe('13812341234')
    expect(normalizePhone('+86 138 1234 1234')).toBe('13812341234')
    expect(normalizePhone(' 138-1234-1234 ')).toBe('13812341234')
    expect(normalizePhone('+86-138-1234-1234')).toBe('13812341234')
    expect(normalizePhone('138\t1234\t1234')).toBe('13812341234')
  })

  it('refuses anything that is not an 11-digit number starting 13–19', () => {
    for (const bad of [
      '',
      '   ',
      '1381234123',
      '138123412345',
      '12812341234',
      '10012341234',
      '23812341234',
      '1381234abcd',
      '+1 13812341234',
      '+8612812341234',
      '138.1234.1234',
      '(138)12341234',
      '１３８１２３４１２３４',
    ]) {
      expect(normalizePhone(bad), bad).toBeNull()
    }
  })

  it('PHONE_PATTERN is anchored at both ends', () => {
    const re = new RegExp(PHONE_PATTERN)
    expect(re.test('13812341234')).toBe(true)
    expect(re.test('x13812341234')).toBe(false)
    expect(re.test('13812341234x')).toBe(false)
  })
})

describe('maskPhone', () => {
  it('keeps the first three and last four digits', () => {
    expect(maskPhone('13812341234')).toBe('138****1234')
    expect(maskPhone('19900000001')).toBe('199****0001')
  })

  it('never shows the middle digits', () => {
    const masked = maskPhone('13856781234')
    expect(masked).not.toContain('5678')
    expect(masked).toHaveLength(11)
  })

  it('masks short strings entirely', () => {
    expect(maskPhone('')).toBe('')
    expect(maskPhone('123')).toBe('***')
    expect(maskPhone('123456')).toBe('******')
    expect(maskPhone('1234567')).toBe('123****4567')
  })
})

describe('maskName', () => {
  it('keeps only the first character', () => {
    expect(maskName('张三')).toBe('张*')
    expect(maskName('欧阳娜娜')).toBe('欧***')
    expect(maskName('Alice')).toBe('A****')
  })

  it('masks a one-character name with one star so its length is not revealed as zero', () => {
    expect(maskName('张')).toBe('张*')
  })

  it('trims before masking and gives empty for a blank name', () => {
    expect(maskName('  王秀英  ')).toBe('王**')
    expect(maskName('')).toBe('')
    expect(maskName('   ')).toBe('')
  })

  it('counts characters outside the BMP as one', () => {
    expect(maskName('𠮷野家')).toBe('𠮷**')
  })
})
