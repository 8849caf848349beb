import { bigint, char, index, int, json, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { createdAt, ref } from './columns'

/**
 * The one audit log: append-only, hash-chained per stream (each event carries its parent's hash), so anyone
 * with access can re-verify a stream (e.g. `community:7`, later `vote:12`).
 */
export const auditStreams = mysqlTable('audit_streams', {
  stream: varchar('stream', { length: 64 }).primaryKey(),
  headSeq: int('head_seq', { unsigned: true }).notNull().default(0),
  headHash: char('head_hash', { length: 64 }).notNull(),
})

export const auditEvents = mysqlTable(
  'audit_events',
  {
    id: bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey(),
    stream: varchar('stream', { length: 64 }).notNull(),
    seq: int('seq', { unsigned: true }).notNull(),
    prevHash: char('prev_hash', { length: 64 }).notNull(),
    hash: char('hash', { length: 64 }).notNull(),
    action: varchar('action', { length: 64 }).notNull(),
    actorPersonId: ref('actor_person_id'),
    subjectType: varchar('subject_type', { length: 32 }).notNull(),
    subjectId: varchar('subject_id', { length: 64 }).notNull(),
    data: json('data').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('audit_events_stream_seq').on(t.stream, t.seq),
    index('audit_events_subject').on(t.subjectType, t.subjectId),
  ],
)
