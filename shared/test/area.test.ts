import { describe, expect, it } from 'vitest'
import {
  AREA_SOURCES,
  UNIT_KINDS,
  areaSourceLabels,
  formatCentiArea,
  parseAreaToCenti,
  unitKindLabels,
} from '../src/units/area'

describe('parseAreaToCenti', () => {
  it('parses through the decimal text, so there is no float error', () => {
    // going through a JS number would be off for these: 1.13 * 100 === 112.99999999999999
    expect(1.13 * 100).not.toBe(113)
    expect(4.35 * 100).not.toBe(435)
    expect(parseAreaToCenti('89.45')).toBe(8945)
    expect(Number.isInteger(parseAreaToCenti('89.45'))).toBe(true)
    expect(parseAreaToCenti('0.29')).toBe(29)
    expect(parseAreaToCenti('1.13')).toBe(113)
    expect(parseAreaToCenti('4.35')).toBe(435)
  })

  it('handles the small and whole cases', () => {
    expect(parseAreaToCenti('0.01')).toBe(1)
    expect(parseAreaToCenti('0.1')).toBe(10)
    expect(parseAreaToCenti('1')).toBe(100)
    expect(parseAreaToCenti('1.5')).toBe(150)
    expect(parseAreaToCenti('1.50')).toBe(150)
    expect(parseAreaToCenti('1.05')).toBe(105)
    expect(parseAreaToCenti('0')).toBe(0)
    expect(parseAreaToCenti('0.00')).toBe(0)
    expect(parseAreaToCenti('007.5')).toBe(750)
  })

  it('trims surrounding whitespace', () => {
    expect(parseAreaToCenti(' 12.30 ')).toBe(1230)
    expect(parseAreaToCenti('\t89.45\n')).toBe(8945)
  })

  it('takes up to seven whole digits', () => {
    expect(parseAreaToCenti('1234567')).toBe(123456700)
    expect(parseAreaToCenti('9999999.99')).toBe(999999999)
    expect(parseAreaToCenti('12345678')).toBeNull()
  })

  it('refuses more than two decimals, signs, exponents and other text', () => {
    for (const bad of [
      '1.234',
      '12.345',
      '-1',
      '+1',
      '1e3',
      '1E3',
      '',
      ' ',
      '.5',
      '5.',
      '1,5',
      '1 000',
      '89.45㎡',
      'abc',
      '0x10',
      'NaN',
      'Infinity',
      '1..5',
      '１２',
    ]) {
      expect(parseAreaToCenti(bad), JSON.stringify(bad)).toBeNull()
    }
  })
})

describe('formatCentiArea', () => {
  it('always shows two decimals', () => {
    expect(formatCentiArea(8945)).toBe('89.45')
    expect(formatCentiArea(8950)).toBe('89.50')
    expect(formatCentiArea(150)).toBe('1.50')
    expect(formatCentiArea(100)).toBe('1.00')
    expect(formatCentiArea(1)).toBe('0.01')
    expect(formatCentiArea(10)).toBe('0.10')
    expect(formatCentiArea(0)).toBe('0.00')
    expect(formatCentiArea(999999999)).toBe('9999999.99')
  })

  it('round-trips with parseAreaToCenti', () => {
    for (const text of ['0.01', '0.10', '1.00', '1.50', '89.45', '120.07', '9999999.99']) {
      expect(formatCentiArea(parseAreaToCenti(text)!)).toBe(text)
    }
    for (const centi of [1, 99, 100, 101, 8945, 123456789]) {
      expect(parseAreaToCenti(formatCentiArea(centi))).toBe(centi)
    }
  })
})

describe('unit kinds and area sources', () => {
  it('have a Chinese label for each value', () => {
    expect(Object.keys(unitKindLabels).sort()).toEqual([...UNIT_KINDS].sort())
    expect(Object.keys(areaSourceLabels).sort()).toEqual([...AREA_SOURCES].sort())
    for (const l of [...Object.values(unitKindLabels), ...Object.values(areaSourceLabels)])
      expect(l).toMatch(/[\u4e00-\u9fff]/)
  })

  it('list the area sources in the order the law prefers them', () => {
    expect(AREA_SOURCES).toEqual(['register', 'survey', 'contract'])
  })
})
