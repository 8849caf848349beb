import { Type, type Static } from '@sinclair/typebox'
import { RELATIONS, VERIFICATION_METHODS, VERIFICATION_STATES, REJECT_REASON_MAX } from '../households/rules'
import { UNIT_KINDS } from '../units/area'
import { Id, StringEnum, Timestamp } from './common'

export const RelationSchema = StringEnum(RELATIONS, { description: 'owner 业主 / co_owner 共有人 / family 家庭成员 / tenant 租户' })
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

/** A person's own view of one of their household bindings. */
export const Membership = Type.Object({
  id: Id,
  unit: UnitRef,
  relation: RelationSchema,
  state: VerificationStateSchema,
  method: Type.Union([StringEnum(VERIFICATION_METHODS), Type.Null()]),
  reviewedAt: Type.Union([Timestamp, Type.Null()]),
  rejectReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
})
export type Membership = Static<typeof Membership>

export const CreateMembershipBody = Type.Object(
  { unitId: Id, relation: RelationSchema },
  { additionalProperties: false },
)
export type CreateMembershipBody = Static<typeof CreateMembershipBody>

/** What a reviewer (committee / community worker) sees of an application: minimum data, masked. */
export const MembershipApplication = Type.Object({
  id: Id,
  unit: UnitRef,
  relation: RelationSchema,
  state: VerificationStateSchema,
  applicant: Type.Object({
    displayName: Type.String(),
    phoneMasked: Type.Union([Type.String(), Type.Null()]),
  }),
  /** owners on the roster for this unit, masked, to compare against */
  rosterOwners: Type.Array(Type.Object({ nameMasked: Type.String(), phoneMasked: Type.Union([Type.String(), Type.Null()]) })),
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
