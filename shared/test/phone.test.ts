import { describe, expect, it } from 'vitest'
import { normalizePhone, phoneProblem } from '../src/privacy/phone'

describe('phoneProblem', () => {
  it('accepts what normalizePhone accepts, and nothing else', () => {
    for (const ok of ['13812341234', '19912345678', '+86 138 1234 1234', '8613812341234', ' 138-1234-1234 ']) {
      expect(phoneProblem(ok), ok).toBeNull()
      expect(normalizePhone(ok), ok).not.toBeNull()
    }
    for (const bad of [
      '',
      '1381234123',
      '23812341234',
      '12812341234',
      '1381234abcd',
      '+8612812341234',
      '１３８１２３４１２３４',
    ]) {
      expect(phoneProblem(bad), bad).not.toBeNull()
      expect(normalizePhone(bad), bad).toBeNull()
    }
  })

  it('says an 11-digit number starting with 2 does not start with 1 (not "enter 11 digits")', () => {
    expect(phoneProblem('21234567890')).toEqual({
      code: 'first_digit',
      found: '2',
      message: '手机号以 1 开头，您填的以 2 开头',
    })
  })

  it('recognises a landline', () => {
    expect(phoneProblem('02112345678')!.message).toBe('手机号以 1 开头，您填的以 0 开头，这像是座机号码')
  })

  it('counts the digits when there are too few or too many', () => {
    expect(phoneProblem('1381234123')).toEqual({
      code: 'too_short',
      digits: 10,
      message: '手机号应为 11 位数字，您填了 10 位',
    })
    expect(phoneProblem('138 1234 12345')).toEqual({
      code: 'too_long',
      digits: 12,
      message: '手机号应为 11 位数字，您填了 12 位',
    })
    // a bare 86 is a country prefix only before 11 digits: 86123 is five digits typed
    expect(phoneProblem('86123')).toMatchObject({ code: 'too_short', digits: 5 })
  })

  it('names the second digit', () => {
    expect(phoneProblem('12812341234')).toEqual({
      code: 'second_digit',
      found: '2',
      message: '手机号第二位应为 3–9，您填的是 2',
    })
    expect(phoneProblem('10012341234')).toMatchObject({ code: 'second_digit', found: '0' })
  })

  it('names the first character that is not a digit', () => {
    expect(phoneProblem('138l2341234')).toEqual({
      code: 'not_digits',
      found: 'l',
      message: '手机号只能是数字，其中有“l”',
    })
    expect(phoneProblem('１３８１２３４１２３４')).toMatchObject({ code: 'not_digits', found: '１' })
    expect(phoneProblem('(138)12341234')).toMatchObject({ code: 'not_digits', found: '(' })
    expect(phoneProblem('+1 13812341234')!.message).toContain('+86')
  })

  it('asks for a number when there is none', () => {
    expect(phoneProblem('   ')).toEqual({ code: 'empty', message: '请填写手机号' })
  })
})
