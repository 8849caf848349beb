import { bigint, index, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { createdAt, ref, timestamp } from './columns'
import { persons } from './persons'

/**
 * 消息: every message the notification adapter sends to a person, written in the same transaction as the change
 * it tells about, so it is there to read whether or not WeChat delivered it (a refused or used-up subscription
 * skips the subscribe message, never this). Exactly one row per logical message and person (the same dedupe key
 * as the outbox); kept for INBOX_RETENTION_DAYS.
 */
export const inboxMessages = mysqlTable(
  'inbox_messages',
  {
    id: bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey(),
    personId: ref('person_id')
      .notNull()
      .references(() => persons.id, { onDelete: 'cascade' }),
    dedupeKey: varchar('dedupe_key', { length: 191 }).notNull(),
    template: varchar('template', { length: 32 }).notNull(),
    title: varchar('title', { length: 64 }).notNull(),
    body: varchar('body', { length: 500 }).notNull(),
    /** the mini-program page it opens, as the subscribe message's `page` */
    page: varchar('page', { length: 255 }).notNull(),
    readAt: timestamp('read_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('inbox_dedupe').on(t.dedupeKey),
    // the list, newest first, paged by id
    index('inbox_person').on(t.personId, t.id),
    // the unread count
    index('inbox_person_unread').on(t.personId, t.readAt),
    // retention
    index('inbox_created').on(t.createdAt),
  ],
)
