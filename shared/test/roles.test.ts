import { describe, expect, it } from 'vitest'
import {
  COMMUNITY_ROLES,
  permissions,
  roleLabels,
  rolesAllow,
  type Permission,
  type Role,
} from '../src/households/roles'

const ROLES: Role[] = ['resident', 'committee', 'worker', 'admin']

/** The expected matrix, written out independently of `permissions`. */
const expected: Record<Permission, Role[]> = {
  'community.browse': ['resident', 'committee', 'worker', 'admin'],
  'membership.review': ['committee', 'worker', 'admin'],
  'roster.read': ['committee', 'worker', 'admin'],
  'roster.import': ['committee', 'worker', 'admin'],
  'role.manage': ['worker', 'admin'],
  'vote.view': ['resident', 'committee', 'worker', 'admin'],
  'vote.manage': ['committee'],
  'vote.supervise': ['committee', 'worker', 'admin'],
  'service_request.view': ['resident', 'committee', 'worker', 'admin'],
  'service_request.file': ['resident'],
  'photo.upload': ['resident'],
  'membership.proof_upload': ['resident', 'committee', 'worker', 'admin'],
  'service_request.supervise': ['committee', 'worker', 'admin'],
  'service_request.handle': ['committee', 'worker'],
  'service_category.manage': ['committee', 'worker', 'admin'],
  'notice.read': ['resident', 'committee', 'worker', 'admin'],
}

describe('rolesAllow', () => {
  it('the matrix names every permission', () => {
    expect(Object.keys(expected).sort()).toEqual(Object.keys(permissions).sort())
  })

  const cases = (Object.keys(expected) as Permission[]).flatMap((p) =>
    ROLES.map((r) => [p, r, expected[p].includes(r)] as const),
  )
  it.each(cases)('%s held by %s → %s', (permission, role, allow) => {
    expect(rolesAllow(permission, new Set([role]))).toBe(allow)
  })

  it("'any' allows even a person holding no role at all", () => {
    expect(permissions['community.browse']).toContain('any')
    expect(rolesAllow('community.browse', new Set())).toBe(true)
    // an applicant for a household is nobody in the community yet, and uploads the proof of their claim
    expect(permissions['membership.proof_upload']).toContain('any')
    expect(rolesAllow('membership.proof_upload', new Set())).toBe(true)
  })

  it('nothing else is allowed with no role', () => {
    for (const p of Object.keys(permissions) as Permission[]) {
      if (p === 'community.browse' || p === 'membership.proof_upload') continue
      expect(rolesAllow(p, new Set()), p).toBe(false)
    }
  })

  it('one allowed role among several is enough', () => {
    expect(rolesAllow('role.manage', new Set<Role>(['resident', 'committee']))).toBe(false)
    expect(rolesAllow('role.manage', new Set<Role>(['resident', 'committee', 'worker']))).toBe(true)
    expect(rolesAllow('roster.import', new Set<Role>(['resident', 'committee']))).toBe(true)
  })

  it('has labels for every role; committee and worker are the grantable community roles', () => {
    expect(Object.keys(roleLabels).sort()).toEqual([...ROLES].sort())
    expect(COMMUNITY_ROLES).toEqual(['committee', 'worker'])
  })
})
