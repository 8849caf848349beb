import { boolean, index, json, mysqlEnum, mysqlTable, uniqueIndex, varchar, int } from 'drizzle-orm/mysql-core'
import { AREA_SOURCES, UNIT_KINDS } from '@linli/shared/units/area'
import type { ChoiceVisibility } from '@linli/shared/voting/rules'
import { createdAt, id, ref, updatedAt } from './columns'

/** Per-community rules that are local practice rather than law (behaviour as data). */
export interface CommunitySettings {
  /** whether parking units count toward owners' assembly area (courts differ; 解释第八条); default false */
  parkingCountsForVoting?: boolean
  /** whether an owner may change a cast ballot before close (议事规则); default false: final once cast */
  ballotChangeAllowed?: boolean
  /** whether the 管理规约 adds non-voters to the majority (reported as a separate tally); default false */
  nonVotersFollowMajority?: boolean
  /** whether the committee may close a vote before its end time; default false */
  earlyCloseAllowed?: boolean
  /** who sees each flat's choices after a vote closes (docs/owners-voting.md); default 'owners' */
  ballotChoicesVisibleTo?: ChoiceVisibility
}

/** 小区 */
export const communities = mysqlTable('communities', {
  id: id(),
  name: varchar('name', { length: 64 }).notNull(),
  district: varchar('district', { length: 64 }).notNull().default(''),
  address: varchar('address', { length: 200 }).notNull().default(''),
  settings: json('settings').$type<CommunitySettings>().notNull().default({}),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
})

/** 楼栋 */
export const buildings = mysqlTable(
  'buildings',
  {
    id: id(),
    communityId: ref('community_id')
      .notNull()
      .references(() => communities.id),
    name: varchar('name', { length: 32 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('buildings_community_name').on(t.communityId, t.name)],
)

/** 房屋 / 车位 / 商铺: the exclusive parts (专有部分) whose area counts in owners' votes. */
export const units = mysqlTable(
  'units',
  {
    id: id(),
    communityId: ref('community_id')
      .notNull()
      .references(() => communities.id),
    buildingId: ref('building_id')
      .notNull()
      .references(() => buildings.id),
    number: varchar('number', { length: 32 }).notNull(),
    kind: mysqlEnum('kind', UNIT_KINDS).notNull().default('residence'),
    /** exclusive area in 0.01 m² */
    areaCenti: int('area_centi', { unsigned: true }).notNull(),
    areaSource: mysqlEnum('area_source', AREA_SOURCES).notNull(),
    /** unsold, or sold but not delivered: all such units together count as ONE owner (解释第九条) */
    developerHeld: boolean('developer_held').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('units_building_number').on(t.buildingId, t.number), index('units_community').on(t.communityId)],
)

/** Owners as the roster (名册) lists them; matching a bound phone verifies an owner's binding. */
export const rosterOwners = mysqlTable(
  'roster_owners',
  {
    id: id(),
    communityId: ref('community_id')
      .notNull()
      .references(() => communities.id),
    unitId: ref('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'cascade' }),
    position: int('position', { unsigned: true }).notNull(),
    name: varchar('name', { length: 64 }).notNull(),
    phoneEnc: varchar('phone_enc', { length: 128 }),
    phoneHash: varchar('phone_hash', { length: 64 }),
  },
  (t) => [
    uniqueIndex('roster_owners_unit_position').on(t.unitId, t.position),
    index('roster_owners_phone').on(t.phoneHash),
  ],
)
