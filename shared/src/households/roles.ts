import { isOwnerRelation, type Relation } from './rules'

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
  /** read the community's notices (公告), e.g. those published by the property company */
  'notice.read': ['resident', 'committee', 'worker', 'admin'],
  /** grant or revoke committee / worker roles */
  'role.manage': ['worker', 'admin'],
  /** 报事报修: see the categories, shared-area requests (without who filed them), the boards and the service figures */
  'service_request.view': ['resident', 'committee', 'worker', 'admin'],
  /** file a request, "me too" a shared-area request */
  'service_request.file': ['resident'],
  /** upload a photo to attach to what one files: a request's photos, a proxy's signed authorisation */
  'photo.upload': ['resident'],
  /** upload a photo of proof (产权证, 购房合同, 租赁合同) for one's own household application: applicants are not residents yet */
  'membership.proof_upload': ['any'],
  /** read every request of the community in full and the escalations inbox */
  'service_request.supervise': ['committee', 'worker', 'admin'],
  /** act as the handler side: for committee-handled categories, and in place of the property company */
  'service_request.handle': ['committee', 'worker'],
  /** create and edit the categories (who handles them, urgency, SLA, extra questions) */
  'service_category.manage': ['committee', 'worker', 'admin'],
} as const satisfies Record<string, readonly (Role | 'any')[]>

export type Permission = keyof typeof permissions

export function rolesAllow(permission: Permission, held: ReadonlySet<Role>): boolean {
  const allowed: readonly string[] = permissions[permission]
  if (allowed.includes('any')) return true
  for (const r of held) if (allowed.includes(r)) return true
  return false
}

/**
 * Who appoints whom: community workers (社区工作者) appoint and remove committee members; only a platform admin
 * appoints or removes community workers (and may act for a community without a worker).
 */
export function mayAppoint(held: ReadonlySet<Role>, role: CommunityRole): boolean {
  if (role === 'worker') return held.has('admin')
  return held.has('admin') || held.has('worker')
}

/**
 * Who may hold a role. 物业管理条例 第十六条: 业主委员会委员应当由业主担任 — a committee member holds a verified
 * owner or co-owner binding in the community. A community worker is staff and need not live there.
 */
export function eligibleFor(role: CommunityRole, verifiedRelationsHere: readonly Relation[]): boolean {
  if (role === 'committee') return verifiedRelationsHere.some(isOwnerRelation)
  return true
}
