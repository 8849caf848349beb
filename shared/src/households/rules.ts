/**
 * Household binding rules (one place). A membership links a person to a unit with a relation; only a
 * verified membership gives rights in the community, and only verified owners/co-owners will vote.
 */
export const RELATIONS = ['owner', 'co_owner', 'family', 'tenant'] as const
export type Relation = (typeof RELATIONS)[number]

export const VERIFICATION_STATES = ['pending', 'verified', 'rejected'] as const
export type VerificationState = (typeof VERIFICATION_STATES)[number]

/** How a membership got its verdict. */
export const VERIFICATION_METHODS = ['roster_phone', 'committee_review'] as const
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number]

export const relationLabels: Record<Relation, string> = {
  owner: '业主',
  co_owner: '共有人',
  family: '家庭成员',
  tenant: '租户',
}

export const verificationStateLabels: Record<VerificationState, string> = {
  pending: '待审核',
  verified: '已认证',
  rejected: '未通过',
}

/** Owners and co-owners appear on the roster, so a matching bound phone verifies them without review. */
export function canAutoVerifyByRoster(relation: Relation): boolean {
  return relation === 'owner' || relation === 'co_owner'
}

/** Holders of property rights (解释第一条): the people who will be able to vote in the owners' assembly. */
export function isOwnerRelation(relation: Relation): boolean {
  return relation === 'owner' || relation === 'co_owner'
}

/** Allowed verdict transitions; anything else is INVALID_TRANSITION. */
export const membershipTransitions: Record<VerificationState, readonly VerificationState[]> = {
  pending: ['verified', 'rejected'],
  verified: [],
  rejected: ['pending'],
}

export function canTransition(from: VerificationState, to: VerificationState): boolean {
  return membershipTransitions[from].includes(to)
}

export const REJECT_REASON_MAX = 200
