import {
  bigint,
  datetime,
  foreignKey,
  index,
  int,
  json,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  text,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core'
import { createdAt, id, ref, timestamp, updatedAt } from './columns'
import { communities } from './communities'
import { propertyCompanies } from './property'

/**
 * Property-company integrations (Standard Webhooks, domain.md §7). One integration = one property company, the
 * communities it serves, one outbound URL + chosen event types, and a signing secret (encrypted at rest with
 * DataProtector; during a rotation the previous secret stays valid until prev_secret_until).
 */
export const webhookIntegrations = mysqlTable(
  'wh_integrations',
  {
    /** public id, e.g. `int_2bX...`; appears in the inbound URL */
    id: varchar('id', { length: 40 }).primaryKey(),
    propertyCompanyId: ref('property_company_id').notNull(),
    name: varchar('name', { length: 100 }).notNull().default(''),
    url: varchar('url', { length: 1000 }),
    eventTypes: json('event_types').$type<string[]>().notNull().default([]),
    status: mysqlEnum('status', ['active', 'disabled', 'revoked']).notNull().default('active'),
    statusReason: varchar('status_reason', { length: 200 }),
    secretEnc: varchar('secret_enc', { length: 512 }).notNull(),
    prevSecretEnc: varchar('prev_secret_enc', { length: 512 }),
    prevSecretUntil: timestamp('prev_secret_until'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('wh_integrations_company').on(t.propertyCompanyId),
    foreignKey({
      name: 'wh_integrations_company_fk',
      columns: [t.propertyCompanyId],
      foreignColumns: [propertyCompanies.id],
    }),
  ],
)

/** The communities an integration serves (inbound handlers refuse anything outside them). */
export const webhookCommunities = mysqlTable(
  'wh_communities',
  {
    integrationId: varchar('integration_id', { length: 40 }).notNull(),
    communityId: ref('community_id').notNull(),
  },
  (t) => [
    primaryKey({ name: 'wh_communities_pk', columns: [t.integrationId, t.communityId] }),
    index('wh_communities_community').on(t.communityId),
    foreignKey({
      name: 'wh_communities_integration_fk',
      columns: [t.integrationId],
      foreignColumns: [webhookIntegrations.id],
    }),
    foreignKey({ name: 'wh_communities_community_fk', columns: [t.communityId], foreignColumns: [communities.id] }),
  ],
)

/** Every outbound delivery attempt (for support): one row per HTTP try. */
export const webhookAttempts = mysqlTable(
  'wh_attempts',
  {
    id: bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey(),
    integrationId: varchar('integration_id', { length: 40 }).notNull(),
    outboxId: bigint('outbox_id', { mode: 'number', unsigned: true }).notNull(),
    messageId: varchar('message_id', { length: 100 }).notNull(),
    eventType: varchar('event_type', { length: 64 }).notNull(),
    attempt: int('attempt', { unsigned: true }).notNull(),
    /** HTTP status, null when no response (timeout, refused, SSRF check) */
    statusCode: int('status_code', { unsigned: true }),
    durationMs: int('duration_ms', { unsigned: true }).notNull().default(0),
    outcome: mysqlEnum('outcome', ['delivered', 'retry', 'dead', 'skipped']).notNull(),
    error: varchar('error', { length: 500 }),
    nextAttemptAt: timestamp('next_attempt_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('wh_attempts_integration').on(t.integrationId, t.createdAt),
    index('wh_attempts_message').on(t.messageId),
  ],
)

/** Inbound dedupe: a webhook-id is applied once per integration, in the same transaction as its changes. */
export const webhookInbox = mysqlTable(
  'wh_inbox',
  {
    id: bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey(),
    integrationId: varchar('integration_id', { length: 40 }).notNull(),
    webhookId: varchar('webhook_id', { length: 128 }).notNull(),
    eventType: varchar('event_type', { length: 64 }).notNull(),
    /** the response body given when it was applied (answered again on a replay) */
    result: json('result').$type<Record<string, unknown>>(),
    receivedAt: datetime('received_at', { mode: 'date', fsp: 3 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('wh_inbox_msg').on(t.integrationId, t.webhookId)],
)

/** 公告: notices shown to residents; source 'property' = published by the property company (via webhook). */
export const notices = mysqlTable(
  'notices',
  {
    id: id(),
    communityId: ref('community_id').notNull(),
    source: mysqlEnum('source', ['property', 'committee']).notNull(),
    propertyCompanyId: ref('property_company_id'),
    title: varchar('title', { length: 100 }).notNull(),
    body: text('body').notNull(),
    /** building names the notice concerns; null = the whole community */
    buildings: json('buildings').$type<string[] | null>(),
    publishedAt: datetime('published_at', { mode: 'date', fsp: 3 }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('notices_community_published').on(t.communityId, t.publishedAt),
    foreignKey({ name: 'notices_community_fk', columns: [t.communityId], foreignColumns: [communities.id] }),
    foreignKey({ name: 'notices_company_fk', columns: [t.propertyCompanyId], foreignColumns: [propertyCompanies.id] }),
  ],
)
