import { describe, expect, it } from 'vitest'
import { DISPLAY_NAME_MAX, cleanName, nameProblem, sameName } from '../src/households/names'
import { eligibleFor, mayAppoint, type Role } from '../src/households/roles'
import { PROOF_KINDS, proofFits, proofKindsFor } from '../src/households/proof'
import { RELATIONS } from '../src/households/rules'

describe('nameProblem', () => {
  it('accepts a name up to the limit in characters, not UTF-16 units', () => {
    expect(nameProblem('李明', DISPLAY_NAME_MAX)).toBeNull()
    expect(nameProblem('𠮷'.repeat(20), 20)).toBeNull()
    expect(nameProblem('阿依古丽·买买提', 20)).toBeNull()
  })
  it('refuses blank, too long, lone surrogates and invisible characters, saying which', () => {
    expect(nameProblem('  ', 20, '昵称')).toEqual({ code: 'blank', message: '请填写昵称' })
    expect(nameProblem('很'.repeat(21), 20, '昵称')).toEqual({
      code: 'too_long',
      message: '昵称最多 20 个字，您填了 21 个',
    })
    expect(nameProblem('李\ud800', 20)!.code).toBe('invalid_chars')
    expect(nameProblem('李\u200b明', 20)!.code).toBe('invalid_chars')
    expect(nameProblem('李\n明', 20)!.code).toBe('invalid_chars')
    // counted as the database counts (code points): 5 family emoji are 25 characters, not 5
    expect(nameProblem('👨‍👩‍👧'.repeat(5), 20)!.code).toBe('too_long')
  })
  it('cleans spaces', () => {
    expect(cleanName('  李   明 ')).toBe('李 明')
  })
})

describe('sameName', () => {
  it('ignores spaces, middle dots, width and case, and nothing else', () => {
    expect(sameName('王秀英', ' 王 秀英')).toBe(true)
    expect(sameName('阿依古丽·买买提', '阿依古丽买买提')).toBe(true)
    expect(sameName('ＡＬＩＣＥ', 'alice')).toBe(true)
    expect(sameName('王秀英', '王秀')).toBe(false)
    expect(sameName('', '')).toBe(false)
  })
})

describe('proof', () => {
  it('fits owners and family with the owner’s papers, tenants with a lease', () => {
    expect(proofKindsFor('owner')).toEqual(['property_certificate', 'purchase_contract'])
    expect(proofKindsFor('family')).toEqual(['property_certificate', 'purchase_contract'])
    expect(proofKindsFor('tenant')).toEqual(['lease_contract'])
    expect(proofFits('tenant', 'property_certificate')).toBe(false)
    for (const r of RELATIONS) for (const k of PROOF_KINDS) expect(proofFits(r, k)).toBe(proofKindsFor(r).includes(k))
  })
})

describe('appointing', () => {
  const held = (...roles: Role[]) => new Set<Role>(roles)
  it('lets workers and admins appoint committee members, and only admins appoint workers', () => {
    expect(mayAppoint(held('worker'), 'committee')).toBe(true)
    expect(mayAppoint(held('admin'), 'committee')).toBe(true)
    expect(mayAppoint(held('committee'), 'committee')).toBe(false)
    expect(mayAppoint(held('resident'), 'committee')).toBe(false)
    expect(mayAppoint(held('worker'), 'worker')).toBe(false)
    expect(mayAppoint(held('admin'), 'worker')).toBe(true)
    expect(mayAppoint(held(), 'committee')).toBe(false)
  })
  it('needs a committee member to be a verified owner or co-owner (物业管理条例 第十六条); a worker anyone', () => {
    expect(eligibleFor('committee', ['owner'])).toBe(true)
    expect(eligibleFor('committee', ['family', 'co_owner'])).toBe(true)
    expect(eligibleFor('committee', ['family', 'tenant'])).toBe(false)
    expect(eligibleFor('committee', [])).toBe(false)
    expect(eligibleFor('worker', [])).toBe(true)
  })
})
