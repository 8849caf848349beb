import { bigint, datetime, index, int, json, mysqlEnum, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { createdAt, ref, timestamp } from './columns'
import { persons } from './persons'

/**
 * The one outbox. A change that must reach the outside (a WeChat message now, property webhooks later) writes
 * a row here in the same transaction; the dispatcher delivers it afterwards with retries, at least once, and
 * the dedupe key keeps a logical message from being enqueued twice.
 */
export const outbox = mysqlTable(
  'outbox',
  {
    id: bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey(),
    topic: varchar('topic', { length: 64 }).notNull(),
    dedupeKey: varchar('dedupe_key', { length: 191 }).notNull(),
    payload: json('payload').$type<Record<string, unknown>>().notNull(),
    status: mysqlEnum('status', ['pending', 'delivered', 'skipped', 'dead']).notNull().default('pending'),
    attempts: int('attempts', { unsigned: true }).notNull().default(0),
    nextAttemptAt: datetime('next_attempt_at', { mode: 'date', fsp: 3 }).notNull(),
    lockedUntil: timestamp('locked_until'),
    lastError: varchar('last_error', { length: 500 }),
    deliveredAt: timestamp('delivered_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('outbox_dedupe').on(t.dedupeKey), index('outbox_due').on(t.status, t.nextAttemptAt)],
)

/** WeChat subscribe messages are one-time: each acceptance in the mini-program allows ONE message. */
export const notificationQuotas = mysqlTable(
  'notification_quotas',
  {
    personId: ref('person_id')
      .notNull()
      .references(() => persons.id),
    templateKey: varchar('template_key', { length: 32 }).notNull(),
    remaining: int('remaining', { unsigned: true }).notNull().default(0),
  },
  (t) => [uniqueIndex('notification_quotas_pk').on(t.personId, t.templateKey)],
)
