/**
 * Roles and what each may do, as data (one place). Residents are not granted: being a resident of a
 * community means holding a verified membership of one of its units.
 */
export const COMMUNITY_ROLES = ['committee', 'worker'] as const
export type CommunityRole = (typeof COMMUNITY_ROLES)[number]
export type Role = 'resident' | CommunityRole | 'admin'

export const roleLabels: Record<Role, string> = {
  resident: '居民',
  committee: '业委会委员',
  worker: '社区工作者',
  admin: '平台管理员',
}

export const permissions = {
  /** see a community's buildings and units to pick one when binding (any signed-in person) */
  'community.browse': ['any'],
  /** see the pending household applications and decide them */
  'membership.review': ['committee', 'worker', 'admin'],
  /** see every unit with its area and roster owners (names masked) */
  'roster.read': ['committee', 'worker', 'admin'],
  /** import or update the owner roster */
  'roster.import': ['committee', 'worker', 'admin'],
  /** see the community's owners' votes and their results */
  'vote.view': ['resident', 'committee', 'worker', 'admin'],
  /** draft, publish, extend, close and announce votes; manage proxies; read the whole roll */
  'vote.manage': ['committee'],
  /** supervise a vote: read the roll and proxies (community workers oversee, they do not run votes) */
  'vote.supervise': ['committee', 'worker', 'admin'],
  /** grant or revoke committee / worker roles */
  'role.manage': ['worker', 'admin'],
} as const satisfies Record<string, readonly (Role | 'any')[]>

export type Permission = keyof typeof permissions

export function rolesAllow(permission: Permission, held: ReadonlySet<Role>): boolean {
  const allowed: readonly string[] = permissions[permission]
  if (allowed.includes('any')) return true
  for (const r of held) if (allowed.includes(r)) return true
  return false
}
