import {
  boolean,
  char,
  foreignKey,
  index,
  int,
  json,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  smallint,
  tinyint,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core'
import type { AttributeAnswers, AttributeDef } from '@linli/shared/service-requests/attributes'
import {
  SR_ACTOR_KINDS,
  SR_ESCALATIONS,
  SR_HANDLERS,
  SR_LOCATION_KINDS,
  SR_STATUSES,
  SR_URGENCIES,
} from '@linli/shared/service-requests/rules'
import { createdAt, id, ref, timestamp, updatedAt } from './columns'
import { buildings, communities, units } from './communities'
import { persons } from './persons'
import { propertyCompanies } from './property'

/** 报事报修 categories of a community: who handles them, urgency, SLA, extra questions (behaviour as data). */
export const srCategories = mysqlTable(
  'sr_categories',
  {
    id: id(),
    communityId: ref('community_id').notNull(),
    name: varchar('name', { length: 32 }).notNull(),
    handler: mysqlEnum('handler', SR_HANDLERS).notNull(),
    urgency: mysqlEnum('urgency', SR_URGENCIES).notNull().default('normal'),
    acceptMinutes: int('accept_minutes', { unsigned: true }).notNull(),
    resolveMinutes: int('resolve_minutes', { unsigned: true }).notNull(),
    attributes: json('attributes').$type<AttributeDef[]>().notNull(),
    position: smallint('position', { unsigned: true }).notNull().default(100),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('sr_categories_name').on(t.communityId, t.name),
    foreignKey({ name: 'sr_categories_community_fk', columns: [t.communityId], foreignColumns: [communities.id] }),
  ],
)

/**
 * A service request. Its SLA deadlines are frozen at filing / acceptance (editing a category changes only later
 * requests). `event_seq` is the last sequence number of its events: the row lock serialises them, and the same
 * number travels with the property company's webhook so receivers can order events.
 */
export const serviceRequests = mysqlTable(
  'service_requests',
  {
    id: id(),
    communityId: ref('community_id').notNull(),
    categoryId: ref('category_id').notNull(),
    reporterPersonId: ref('reporter_person_id').notNull(),
    handler: mysqlEnum('handler', SR_HANDLERS).notNull(),
    /** the property company that handles it (when handler = property), as at filing */
    propertyCompanyId: ref('property_company_id'),
    status: mysqlEnum('status', SR_STATUSES).notNull().default('submitted'),
    locationKind: mysqlEnum('location_kind', SR_LOCATION_KINDS).notNull(),
    buildingId: ref('building_id'),
    unitId: ref('unit_id'),
    locationDetail: varchar('location_detail', { length: 100 }),
    description: varchar('description', { length: 1000 }).notNull(),
    answers: json('answers').$type<AttributeAnswers>().notNull(),
    contactTime: varchar('contact_time', { length: 64 }),
    /** consent to show the phone to the handler; otherwise it is masked */
    sharePhone: boolean('share_phone').notNull().default(false),
    /** the reporter's phone at filing (AES-GCM), for the handler */
    phoneEnc: varchar('phone_enc', { length: 128 }),
    eventSeq: int('event_seq', { unsigned: true }).notNull().default(0),
    duplicateOf: ref('duplicate_of'),
    assigneeName: varchar('assignee_name', { length: 32 }),
    assigneePhoneEnc: varchar('assignee_phone_enc', { length: 128 }),
    /** the category's resolve SLA as at filing (a reopening counts it again) */
    resolveMinutes: int('resolve_minutes', { unsigned: true }).notNull(),
    acceptDueAt: timestamp('accept_due_at').notNull(),
    resolveDueAt: timestamp('resolve_due_at'),
    /** first acceptance / first resolution (the figures), latest resolution and closing */
    acceptedAt: timestamp('accepted_at'),
    firstResolvedAt: timestamp('first_resolved_at'),
    resolvedAt: timestamp('resolved_at'),
    closedAt: timestamp('closed_at'),
    /** set once the outcome is known: 1 = accepted and first resolved within the SLA, 0 = missed */
    onTime: boolean('on_time'),
    escalation: mysqlEnum('escalation', SR_ESCALATIONS),
    escalatedAt: timestamp('escalated_at'),
    reopenCount: smallint('reopen_count', { unsigned: true }).notNull().default(0),
    urgeCount: smallint('urge_count', { unsigned: true }).notNull().default(0),
    lastUrgedAt: timestamp('last_urged_at'),
    ratingOverall: tinyint('rating_overall', { unsigned: true }),
    ratingSpeed: tinyint('rating_speed', { unsigned: true }),
    ratingAttitude: tinyint('rating_attitude', { unsigned: true }),
    ratingText: varchar('rating_text', { length: 500 }),
    ratedAt: timestamp('rated_at'),
    idempotencyKey: varchar('idempotency_key', { length: 80 }),
    idempotencyHash: char('idempotency_hash', { length: 64 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('sr_community_status').on(t.communityId, t.status),
    index('sr_similar').on(t.communityId, t.categoryId, t.buildingId, t.status),
    index('sr_board').on(t.communityId, t.buildingId, t.status),
    index('sr_reporter').on(t.reporterPersonId, t.communityId),
    index('sr_company_created').on(t.propertyCompanyId, t.createdAt),
    index('sr_community_created').on(t.communityId, t.createdAt),
    index('sr_escalated').on(t.communityId, t.escalatedAt),
    uniqueIndex('sr_idempotency').on(t.reporterPersonId, t.idempotencyKey),
    foreignKey({ name: 'sr_community_fk', columns: [t.communityId], foreignColumns: [communities.id] }),
    foreignKey({ name: 'sr_category_fk', columns: [t.categoryId], foreignColumns: [srCategories.id] }),
    foreignKey({ name: 'sr_reporter_fk', columns: [t.reporterPersonId], foreignColumns: [persons.id] }),
    foreignKey({ name: 'sr_company_fk', columns: [t.propertyCompanyId], foreignColumns: [propertyCompanies.id] }),
    foreignKey({ name: 'sr_building_fk', columns: [t.buildingId], foreignColumns: [buildings.id] }),
    foreignKey({ name: 'sr_unit_fk', columns: [t.unitId], foreignColumns: [units.id] }),
    foreignKey({ name: 'sr_duplicate_fk', columns: [t.duplicateOf], foreignColumns: [t.id] }),
  ],
)

/** Every step of a request: filing, each transition, urges and escalations, numbered per request. */
export const srEvents = mysqlTable(
  'sr_events',
  {
    id: id(),
    requestId: ref('request_id').notNull(),
    seq: int('seq', { unsigned: true }).notNull(),
    action: varchar('action', { length: 16 }).notNull(),
    fromStatus: mysqlEnum('from_status', SR_STATUSES),
    toStatus: mysqlEnum('to_status', SR_STATUSES).notNull(),
    actorKind: mysqlEnum('actor_kind', SR_ACTOR_KINDS).notNull(),
    /** the person acting (resident, committee, worker); null for the property company and the system */
    actorPersonId: ref('actor_person_id'),
    /** the property company's integration or staff name, when it acted */
    actorLabel: varchar('actor_label', { length: 64 }),
    note: varchar('note', { length: 500 }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('sr_events_seq').on(t.requestId, t.seq),
    foreignKey({ name: 'sr_events_request_fk', columns: [t.requestId], foreignColumns: [serviceRequests.id] }),
    foreignKey({ name: 'sr_events_actor_fk', columns: [t.actorPersonId], foreignColumns: [persons.id] }),
  ],
)

/** "Me too" (我也遇到): one row per person following a shared-area request instead of filing a duplicate. */
export const srFollowers = mysqlTable(
  'sr_followers',
  {
    requestId: ref('request_id').notNull(),
    personId: ref('person_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'sr_followers_pk', columns: [t.requestId, t.personId] }),
    index('sr_followers_person').on(t.personId),
    foreignKey({ name: 'sr_followers_request_fk', columns: [t.requestId], foreignColumns: [serviceRequests.id] }),
    foreignKey({ name: 'sr_followers_person_fk', columns: [t.personId], foreignColumns: [persons.id] }),
  ],
)
