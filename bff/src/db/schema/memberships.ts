import { index, mysqlEnum, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { RELATIONS, VERIFICATION_METHODS, VERIFICATION_STATES } from '@linli/shared/households/rules'
import { COMMUNITY_ROLES } from '@linli/shared/households/roles'
import { PROOF_KINDS } from '@linli/shared/households/proof'
import { createdAt, id, ref, timestamp, updatedAt } from './columns'
import { communities, units } from './communities'
import { persons } from './persons'

/** A person's binding to a unit; the single source of truth for "verified owner". */
export const memberships = mysqlTable(
  'memberships',
  {
    id: id(),
    personId: ref('person_id')
      .notNull()
      .references(() => persons.id),
    unitId: ref('unit_id')
      .notNull()
      .references(() => units.id),
    /** denormalised from the unit so every query can be scoped by community */
    communityId: ref('community_id')
      .notNull()
      .references(() => communities.id),
    relation: mysqlEnum('relation', RELATIONS).notNull(),
    state: mysqlEnum('state', VERIFICATION_STATES).notNull().default('pending'),
    method: mysqlEnum('method', VERIFICATION_METHODS),
    reviewedBy: ref('reviewed_by').references(() => persons.id),
    reviewedAt: timestamp('reviewed_at'),
    rejectReason: varchar('reject_reason', { length: 200 }),
    /** the real name the applicant gave for the review; kept while the binding lasts (README: retention) */
    statedName: varchar('stated_name', { length: 32 }),
    /** what the attached proof photos show (photos.membership_id); cleared with them once decided */
    proofKind: mysqlEnum('proof_kind', PROOF_KINDS),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('memberships_person_unit').on(t.personId, t.unitId),
    index('memberships_community_state').on(t.communityId, t.state),
    index('memberships_unit').on(t.unitId),
  ],
)

/** Granted roles (业委会委员, 社区工作者). Residents are not granted: a verified membership makes one. */
export const communityRoles = mysqlTable(
  'community_roles',
  {
    id: id(),
    communityId: ref('community_id')
      .notNull()
      .references(() => communities.id),
    personId: ref('person_id')
      .notNull()
      .references(() => persons.id),
    role: mysqlEnum('role', COMMUNITY_ROLES).notNull(),
    grantedBy: ref('granted_by').references(() => persons.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('community_roles_unique').on(t.communityId, t.personId, t.role),
    index('community_roles_person').on(t.personId),
  ],
)
