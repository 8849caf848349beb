import type { Me } from '@linli/shared/schemas'
import { roleLabels, rolesAllow, type Role } from '@linli/shared/households/roles'

export interface ReviewCommunity {
  communityId: number
  communityName: string
  roleLabel: string
}

/** Communities whose household applications this person reviews (committee / worker roles), one per community. */
export function reviewCommunities(me: Pick<Me, 'roles'>): ReviewCommunity[] {
  const byId = new Map<number, ReviewCommunity>()
  for (const r of me.roles) {
    const existing = byId.get(r.communityId)
    const label = roleLabels[r.role]
    if (existing) existing.roleLabel = `${existing.roleLabel}、${label}`
    else byId.set(r.communityId, { communityId: r.communityId, communityName: r.communityName, roleLabel: label })
  }
  return [...byId.values()]
}

export function canReview(me: Pick<Me, 'roles' | 'isPlatformAdmin'>): boolean {
  return me.isPlatformAdmin || me.roles.length > 0
}

/** The roles this person holds in one community, as the BFF's authorize() sees them (residency aside). */
export function heldIn(me: Pick<Me, 'roles' | 'isPlatformAdmin'>, communityId: number): Set<Role> {
  const held = new Set<Role>(me.roles.filter((r) => r.communityId === communityId).map((r) => r.role))
  if (me.isPlatformAdmin) held.add('admin')
  return held
}

/** Communities whose roles this person manages (role.manage: community workers; a platform admin picks any). */
export function roleManagedCommunities(
  me: Pick<Me, 'roles' | 'isPlatformAdmin'>,
): { communityId: number; communityName: string }[] {
  const seen = new Map<number, string>()
  for (const r of me.roles)
    if (rolesAllow('role.manage', heldIn({ roles: me.roles, isPlatformAdmin: false }, r.communityId)))
      seen.set(r.communityId, r.communityName)
  return [...seen].map(([communityId, communityName]) => ({ communityId, communityName }))
}

/** Whether 我的 offers 管理角色: the same permission the BFF checks on the roles routes. */
export function canManageRoles(me: Pick<Me, 'roles' | 'isPlatformAdmin'>): boolean {
  return me.isPlatformAdmin || roleManagedCommunities(me).length > 0
}
