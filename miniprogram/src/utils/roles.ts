import type { Me } from '@linli/shared/schemas'
import { roleLabels } from '@linli/shared/households/roles'

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
