import { Type, type Static } from '@sinclair/typebox'
import { COMMUNITY_ROLES } from '../households/roles'
import { Id, StringEnum } from './common'
import { Membership } from './memberships'

export const RoleGrant = Type.Object({
  communityId: Id,
  communityName: Type.String(),
  role: StringEnum(COMMUNITY_ROLES),
})
export type RoleGrant = Static<typeof RoleGrant>

/** The signed-in person's own profile: the only place their phone appears, and masked even here. */
export const Me = Type.Object({
  id: Id,
  displayName: Type.String(),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  isPlatformAdmin: Type.Boolean(),
  roles: Type.Array(RoleGrant),
  households: Type.Array(Membership),
})
export type Me = Static<typeof Me>

/** households/names.ts checks the name itself (blank, length in characters, unprintable characters) */
export const UpdateMeBody = Type.Object(
  { displayName: Type.String({ maxLength: 64 }) },
  { additionalProperties: false },
)
export type UpdateMeBody = Static<typeof UpdateMeBody>

/** code from <Button openType="getPhoneNumber"> (e.detail.code) */
export const BindPhoneBody = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
)
export type BindPhoneBody = Static<typeof BindPhoneBody>
