import { Type, type Static } from '@sinclair/typebox'
import { RELATIONS, VERIFICATION_METHODS, VERIFICATION_STATES, REJECT_REASON_MAX } from '../households/rules'
import { PROOF_KINDS, PROOF_PHOTOS_MAX } from '../households/proof'
import { UNIT_KINDS } from '../units/area'
import { Id, StringEnum, Timestamp } from './common'
import { Photo } from './photos'

export const RelationSchema = StringEnum(RELATIONS, {
  description: 'owner 业主 / co_owner 共有人 / family 家庭成员 / tenant 租户',
})
export const VerificationStateSchema = StringEnum(VERIFICATION_STATES)

export const UnitRef = Type.Object({
  id: Id,
  number: Type.String(),
  kind: StringEnum(UNIT_KINDS),
  buildingId: Id,
  buildingName: Type.String(),
  communityId: Id,
  communityName: Type.String(),
})
export type UnitRef = Static<typeof UnitRef>

export const ProofKindSchema = StringEnum(PROOF_KINDS, {
  description:
    'property_certificate 不动产权证书 / purchase_contract 购房合同 (owner, co-owner, family: the owner’s) / lease_contract 租赁合同 (tenant)',
})

/** Photos of proof while the application waits; deleted when it is decided or withdrawn (README: retention). */
export const MembershipProof = Type.Object({ kind: ProofKindSchema, photos: Type.Array(Photo) })
export type MembershipProof = Static<typeof MembershipProof>

/** A person's own view of one of their household bindings. */
export const Membership = Type.Object({
  id: Id,
  unit: UnitRef,
  relation: RelationSchema,
  state: VerificationStateSchema,
  method: Type.Union([StringEnum(VERIFICATION_METHODS), Type.Null()]),
  reviewedAt: Type.Union([Timestamp, Type.Null()]),
  rejectReason: Type.Union([Type.String(), Type.Null()]),
  /** the real name the applicant gave for the review */
  statedName: Type.Union([Type.String(), Type.Null()]),
  proof: Type.Union([MembershipProof, Type.Null()]),
  createdAt: Timestamp,
})
export type Membership = Static<typeof Membership>

export const CreateMembershipBody = Type.Object(
  {
    unitId: Id,
    relation: RelationSchema,
    /** the applicant's real name, compared by the reviewer with the roster (households/names.ts checks it) */
    name: Type.Optional(Type.String({ maxLength: 64 })),
    /** photos uploaded first (POST /communities/:id/photos?purpose=membership), then named here */
    proof: Type.Optional(
      Type.Object(
        {
          kind: ProofKindSchema,
          photoIds: Type.Array(Id, { minItems: 1, maxItems: PROOF_PHOTOS_MAX, uniqueItems: true }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)
export type CreateMembershipBody = Static<typeof CreateMembershipBody>

/** How the stated name compares with the roster owners of the unit (the roster's names are never shown). */
export const NAME_CHECKS = ['match', 'mismatch', 'no_roster', 'no_name'] as const
export type NameCheck = (typeof NAME_CHECKS)[number]

/** What a reviewer (committee / community worker) sees of an application: minimum data, masked. */
export const MembershipApplication = Type.Object({
  id: Id,
  unit: UnitRef,
  relation: RelationSchema,
  state: VerificationStateSchema,
  applicant: Type.Object({
    displayName: Type.String(),
    /** the real name given with the application */
    statedName: Type.Union([Type.String(), Type.Null()]),
    phoneMasked: Type.Union([Type.String(), Type.Null()]),
  }),
  /** whether the stated name is one of the roster owners' names of this unit */
  nameCheck: StringEnum(NAME_CHECKS),
  /** owners on the roster for this unit, masked, to compare against */
  rosterOwners: Type.Array(
    Type.Object({ nameMasked: Type.String(), phoneMasked: Type.Union([Type.String(), Type.Null()]) }),
  ),
  /** photos of proof, through signed links; only while pending (deleted once decided) */
  proof: Type.Union([MembershipProof, Type.Null()]),
  /** everyone else on the same unit: competing pending claims and those already verified there */
  unitMembers: Type.Array(
    Type.Object({
      membershipId: Id,
      displayName: Type.String(),
      statedName: Type.Union([Type.String(), Type.Null()]),
      relation: RelationSchema,
      state: StringEnum(['pending', 'verified'] as const),
      createdAt: Timestamp,
    }),
  ),
  rejectReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
})
export type MembershipApplication = Static<typeof MembershipApplication>

export const MembershipListQuery = Type.Object(
  { state: Type.Optional(VerificationStateSchema) },
  { additionalProperties: false },
)
export type MembershipListQuery = Static<typeof MembershipListQuery>

export const RejectMembershipBody = Type.Object(
  { reason: Type.String({ minLength: 2, maxLength: REJECT_REASON_MAX }) },
  { additionalProperties: false },
)
export type RejectMembershipBody = Static<typeof RejectMembershipBody>
