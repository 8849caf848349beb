import { Type, type Static } from '@sinclair/typebox'
import { AREA_SOURCES, UNIT_KINDS } from '../units/area'
import { COMMUNITY_ROLES } from '../households/roles'
import { RELATIONS } from '../households/rules'
import { Id, StringEnum, Timestamp } from './common'

export const CommunitySummary = Type.Object({
  id: Id,
  name: Type.String(),
  district: Type.String(),
})
export type CommunitySummary = Static<typeof CommunitySummary>

export const CommunitySearchQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 40 })) },
  { additionalProperties: false },
)

export const BuildingSummary = Type.Object({ id: Id, name: Type.String() })
export type BuildingSummary = Static<typeof BuildingSummary>

/** What anyone binding a household may see of a unit: its number and kind, nothing about owners. */
export const UnitOption = Type.Object({ id: Id, number: Type.String(), kind: StringEnum(UNIT_KINDS) })
export type UnitOption = Static<typeof UnitOption>

/** Committee / worker view of the roster: area and its source, owners masked. */
export const RosterUnit = Type.Object({
  id: Id,
  buildingName: Type.String(),
  number: Type.String(),
  kind: StringEnum(UNIT_KINDS),
  areaCenti: Type.Integer({ description: 'exclusive area in 0.01 m²' }),
  areaSource: StringEnum(AREA_SOURCES),
  owners: Type.Array(Type.Object({ nameMasked: Type.String(), phoneMasked: Type.Union([Type.String(), Type.Null()]) })),
  verifiedMembers: Type.Integer(),
})
export type RosterUnit = Static<typeof RosterUnit>

export const RosterImportReport = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  rejected: Type.Array(Type.Object({ line: Type.Integer(), reason: Type.String() })),
  /** pending owner applications verified because their phone now matches the roster */
  verifiedMemberships: Type.Integer(),
})
export type RosterImportReport = Static<typeof RosterImportReport>

/** A verified home of a person in this community (what the roles screen shows beside a name). */
export const HomeRef = Type.Object({
  buildingName: Type.String(),
  number: Type.String(),
  relation: StringEnum(RELATIONS),
})
export type HomeRef = Static<typeof HomeRef>

export const RoleAssignment = Type.Object({
  personId: Id,
  displayName: Type.String(),
  role: StringEnum(COMMUNITY_ROLES),
  grantedAt: Timestamp,
  homes: Type.Array(HomeRef),
})
export type RoleAssignment = Static<typeof RoleAssignment>

/**
 * Someone a community worker or platform admin may appoint: a verified resident found by name or room, or — given
 * a whole mobile number — the person who bound it (a community worker need not live there).
 */
export const RoleCandidate = Type.Object({
  personId: Id,
  displayName: Type.String(),
  statedName: Type.Union([Type.String(), Type.Null()]),
  homes: Type.Array(HomeRef),
  /** roles already held in this community */
  roles: Type.Array(StringEnum(COMMUNITY_ROLES)),
})
export type RoleCandidate = Static<typeof RoleCandidate>

export const RoleCandidateQuery = Type.Object(
  {
    q: Type.String({
      minLength: 1,
      maxLength: 40,
      description: 'a name, a room (e.g. 1栋 202 or 202), or a whole mobile number',
    }),
  },
  { additionalProperties: false },
)
export type RoleCandidateQuery = Static<typeof RoleCandidateQuery>

export const GrantRoleBody = Type.Object(
  { personId: Id, role: StringEnum(COMMUNITY_ROLES) },
  { additionalProperties: false },
)
export type GrantRoleBody = Static<typeof GrantRoleBody>
