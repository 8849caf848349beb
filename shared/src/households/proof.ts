import type { Relation } from './rules'

/**
 * Proof a household applicant may attach for the committee to see (photos): which paper fits which relation.
 * - owner / co-owner: the 不动产权证书 (产权证) naming them, or their 购房合同 where the certificate is not issued yet;
 * - family: the owner's 产权证 or 购房合同 (the household they live in; the reviewer compares the owner's name);
 * - tenant: the 租赁合同 for that unit.
 * Kept only until the application is decided (README, 个人信息保护法 第十九条、第四十七条).
 */
export const PROOF_KINDS = ['property_certificate', 'purchase_contract', 'lease_contract'] as const
export type ProofKind = (typeof PROOF_KINDS)[number]

export const proofKindLabels: Record<ProofKind, string> = {
  property_certificate: '不动产权证书（产权证）',
  purchase_contract: '购房合同',
  lease_contract: '租赁合同',
}

const FITS: Record<Relation, readonly ProofKind[]> = {
  owner: ['property_certificate', 'purchase_contract'],
  co_owner: ['property_certificate', 'purchase_contract'],
  family: ['property_certificate', 'purchase_contract'],
  tenant: ['lease_contract'],
}

/** The kinds of proof that fit a relation, the usual one first. */
export function proofKindsFor(relation: Relation): readonly ProofKind[] {
  return FITS[relation]
}

export function proofFits(relation: Relation, kind: ProofKind): boolean {
  return FITS[relation].includes(kind)
}

/** What to photograph, said to the applicant. */
export const proofHints: Record<Relation, string> = {
  owner: '请拍产权证上写有房屋地址和产权人姓名的那一页；还没有产权证的，拍购房合同的首页和签字页。',
  co_owner: '请拍产权证上写有您姓名（共有人）的那一页；还没有产权证的，拍购房合同的首页和签字页。',
  family: '请拍业主产权证（或购房合同）上写有房屋地址和业主姓名的那一页。',
  tenant: '请拍租赁合同的首页（写有房屋地址）和双方签字页。',
}

/** at most this many photos of proof per application */
export const PROOF_PHOTOS_MAX = 3
