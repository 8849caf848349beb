import {
  bigint,
  boolean,
  char,
  index,
  int,
  json,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  text,
  tinyint,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core'
import { AREA_SOURCES, UNIT_KINDS } from '@linli/shared/units/area'
import { CHOICE_VISIBILITIES, VOTE_STATES, type Choice } from '@linli/shared/voting/rules'
import { createdAt, id, ref, timestamp, updatedAt } from './columns'
import { communities, units } from './communities'
import { persons } from './persons'

/** 业主大会电子表决: one written consultation of the owners on 1..n matters. */
export const votes = mysqlTable(
  'votes',
  {
    id: id(),
    communityId: ref('community_id')
      .notNull()
      .references(() => communities.id),
    title: varchar('title', { length: 100 }).notNull(),
    noticeText: text('notice_text').notNull(),
    state: mysqlEnum('state', VOTE_STATES).notNull().default('draft'),
    announcedAt: timestamp('announced_at').notNull(),
    opensAt: timestamp('opens_at').notNull(),
    closesAt: timestamp('closes_at').notNull(),
    hideResultsUntilClose: boolean('hide_results_until_close').notNull().default(true),
    // community rules, frozen into the vote when it is published
    allowChange: boolean('allow_change').notNull().default(false),
    nonVotersFollowMajority: boolean('non_voters_follow_majority').notNull().default(false),
    parkingCounts: boolean('parking_counts').notNull().default(false),
    earlyCloseAllowed: boolean('early_close_allowed').notNull().default(false),
    choicesVisibleTo: mysqlEnum('choices_visible_to', CHOICE_VISIBILITIES).notNull().default('owners'),
    /** the committee's confirmed reason for publishing with less than the legal notice (also in the log) */
    shortNoticeReason: varchar('short_notice_reason', { length: 500 }),
    lastRemindedAt: timestamp('last_reminded_at'),
    rollFingerprint: char('roll_fingerprint', { length: 64 }),
    itemsFingerprint: char('items_fingerprint', { length: 64 }),
    totalArea: bigint('total_area', { mode: 'number', unsigned: true }),
    totalOwners: int('total_owners', { unsigned: true }),
    createdBy: ref('created_by')
      .notNull()
      .references(() => persons.id),
    publishedAt: timestamp('published_at'),
    openedAt: timestamp('opened_at'),
    closedAt: timestamp('closed_at'),
    resultsAnnouncedAt: timestamp('results_announced_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('votes_community_state').on(t.communityId, t.state)],
)

export const voteMatters = mysqlTable(
  'vote_matters',
  {
    id: id(),
    voteId: ref('vote_id')
      .notNull()
      .references(() => votes.id, { onDelete: 'cascade' }),
    position: int('position', { unsigned: true }).notNull(),
    category: tinyint('category', { unsigned: true }).notNull(),
    text: text('text').notNull(),
  },
  (t) => [uniqueIndex('vote_matters_position').on(t.voteId, t.position)],
)

export const voteExtensions = mysqlTable('vote_extensions', {
  id: id(),
  voteId: ref('vote_id')
    .notNull()
    .references(() => votes.id),
  fromAt: timestamp('from_at').notNull(),
  toAt: timestamp('to_at').notNull(),
  reason: varchar('reason', { length: 500 }).notNull(),
  byPersonId: ref('by_person_id')
    .notNull()
    .references(() => persons.id),
  createdAt: createdAt(),
})

/** The frozen roll (表决名册): one row per owner per 解释第九条, with its summed area. */
export const voteRollEntries = mysqlTable(
  'vote_roll_entries',
  {
    voteId: ref('vote_id')
      .notNull()
      .references(() => votes.id),
    ownerKey: varchar('owner_key', { length: 40 }).notNull(),
    isDeveloper: boolean('is_developer').notNull().default(false),
    holdersMasked: json('holders_masked').$type<string[]>().notNull(),
    areaCenti: bigint('area_centi', { mode: 'number', unsigned: true }).notNull(),
    /**
     * The owner's active proxy (委托), if any: while one is, only the proxy may vote for this owner. Set and
     * cleared under this row's lock, which every ballot for the owner shares while it is being taken.
     */
    proxyId: int('proxy_id', { unsigned: true }),
  },
  (t) => [primaryKey({ columns: [t.voteId, t.ownerKey] })],
)

export const voteRollUnits = mysqlTable(
  'vote_roll_units',
  {
    voteId: ref('vote_id')
      .notNull()
      .references(() => votes.id),
    unitId: ref('unit_id')
      .notNull()
      .references(() => units.id),
    ownerKey: varchar('owner_key', { length: 40 }).notNull(),
    label: varchar('label', { length: 80 }).notNull(),
    kind: mysqlEnum('kind', UNIT_KINDS).notNull(),
    areaCenti: int('area_centi', { unsigned: true }).notNull(),
    areaSource: mysqlEnum('area_source', AREA_SOURCES).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.voteId, t.unitId] }),
    index('vote_roll_units_owner').on(t.voteId, t.ownerKey),
    index('vote_roll_units_unit').on(t.unitId),
  ],
)

export const voteProxies = mysqlTable(
  'vote_proxies',
  {
    id: id(),
    voteId: ref('vote_id')
      .notNull()
      .references(() => votes.id),
    ownerKey: varchar('owner_key', { length: 40 }).notNull(),
    grantorPersonId: ref('grantor_person_id')
      .notNull()
      .references(() => persons.id),
    proxyName: varchar('proxy_name', { length: 32 }).notNull(),
    proxyPhoneEnc: varchar('proxy_phone_enc', { length: 128 }).notNull(),
    proxyPhoneHash: varchar('proxy_phone_hash', { length: 64 }).notNull(),
    authorizationText: text('authorization_text'),
    /** whether it was used is not stored: it is whether a ballot names this proxy */
    state: mysqlEnum('state', ['active', 'revoked']).notNull().default('active'),
    revokedBy: ref('revoked_by').references(() => persons.id),
    revokedAt: timestamp('revoked_at'),
    revokeReason: varchar('revoke_reason', { length: 200 }),
    createdAt: createdAt(),
  },
  (t) => [
    index('vote_proxies_entry').on(t.voteId, t.ownerKey),
    index('vote_proxies_phone').on(t.voteId, t.proxyPhoneHash),
    // a person's proxies across votes, for what waits for them (待办)
    index('vote_proxies_holder').on(t.proxyPhoneHash),
  ],
)

/**
 * Every ballot ever cast. An owner's ballot that counts is their highest revision; with ballot changes allowed,
 * earlier revisions stay. `audit_seq` is the ballot's event in the vote's hash-chained log, set by the chainer
 * shortly after the ballot commits (and for any left at the latest by the close, before the tally).
 */
export const voteBallots = mysqlTable(
  'vote_ballots',
  {
    id: bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey(),
    voteId: ref('vote_id')
      .notNull()
      .references(() => votes.id),
    ownerKey: varchar('owner_key', { length: 40 }).notNull(),
    revision: int('revision', { unsigned: true }).notNull(),
    castByPersonId: ref('cast_by_person_id')
      .notNull()
      .references(() => persons.id),
    proxyId: ref('proxy_id').references(() => voteProxies.id),
    choices: json('choices').$type<{ matterId: number; choice: Choice }[]>().notNull(),
    receipt: varchar('receipt', { length: 64 }).notNull(),
    ballotHash: char('ballot_hash', { length: 64 }).notNull(),
    idempotencyKey: varchar('idempotency_key', { length: 80 }).notNull(),
    auditSeq: int('audit_seq', { unsigned: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('vote_ballots_chain').on(t.voteId, t.auditSeq),
    uniqueIndex('vote_ballots_revision').on(t.voteId, t.ownerKey, t.revision),
    uniqueIndex('vote_ballots_receipt').on(t.voteId, t.receipt),
    uniqueIndex('vote_ballots_idempotency').on(t.voteId, t.castByPersonId, t.idempotencyKey),
  ],
)

/** The announced tally, with the rule applied and every figure (kept at least a year: 民法典 第280条). */
export const voteTallies = mysqlTable(
  'vote_tallies',
  {
    id: id(),
    voteId: ref('vote_id')
      .notNull()
      .references(() => votes.id),
    matterId: ref('matter_id')
      .notNull()
      .references(() => voteMatters.id),
    kind: mysqlEnum('kind', ['official', 'non_voters_follow_majority']).notNull(),
    figures: json('figures').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('vote_tallies_unique').on(t.voteId, t.matterId, t.kind)],
)
