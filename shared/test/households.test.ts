import { describe, expect, it } from 'vitest'
import {
  RELATIONS,
  VERIFICATION_STATES,
  canAutoVerifyByRoster,
  canTransition,
  isOwnerRelation,
  membershipTransitions,
  relationLabels,
  verificationStateLabels,
  type Relation,
  type VerificationState,
} from '../src/households/rules'

describe('canTransition', () => {
  // every (from, to) pair; only these are allowed
  const allowed = new Set(['pending>verified', 'pending>rejected', 'rejected>pending'])
  const pairs = VERIFICATION_STATES.flatMap((from) =>
    VERIFICATION_STATES.map((to) => [from, to] as [VerificationState, VerificationState]),
  )

  it.each(pairs)('%s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(allowed.has(`${from}>${to}`))
  })

  it('a verified membership is final and no state goes to itself', () => {
    expect(membershipTransitions.verified).toEqual([])
    for (const s of VERIFICATION_STATES) expect(canTransition(s, s)).toBe(false)
  })

  it('a rejected application cannot jump straight to verified', () => {
    expect(canTransition('rejected', 'verified')).toBe(false)
  })
})

describe('relations', () => {
  const table: [Relation, boolean][] = [
    ['owner', true],
    ['co_owner', true],
    ['family', false],
    ['tenant', false],
  ]

  it('covers every relation in the table', () => {
    expect(table.map(([r]) => r).sort()).toEqual([...RELATIONS].sort())
  })

  it.each(table)('%s: roster auto-verify %s, holder of property rights likewise', (relation, owner) => {
    expect(canAutoVerifyByRoster(relation)).toBe(owner)
    expect(isOwnerRelation(relation)).toBe(owner)
  })

  it('has a Chinese label for each relation and state', () => {
    expect(Object.keys(relationLabels).sort()).toEqual([...RELATIONS].sort())
    expect(Object.keys(verificationStateLabels).sort()).toEqual([...VERIFICATION_STATES].sort())
    expect(relationLabels.owner).toBe('业主')
    expect(verificationStateLabels.verified).toBe('已认证')
  })
})
