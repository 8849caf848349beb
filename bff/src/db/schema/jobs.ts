import { datetime, index, int, json, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { createdAt, id, timestamp } from './columns'

/**
 * The one scheduler's timers. A job has a unique key, so rescheduling (e.g. a vote extended) moves the same
 * timer; instances claim due jobs with FOR UPDATE SKIP LOCKED, so each fires once across all BFF instances,
 * and they survive restarts because they live in MySQL.
 */
export const scheduledJobs = mysqlTable(
  'scheduled_jobs',
  {
    id: id(),
    kind: varchar('kind', { length: 64 }).notNull(),
    jobKey: varchar('job_key', { length: 128 }).notNull(),
    runAt: datetime('run_at', { mode: 'date', fsp: 3 }).notNull(),
    payload: json('payload').$type<Record<string, unknown>>().notNull(),
    attempts: int('attempts', { unsigned: true }).notNull().default(0),
    lastError: varchar('last_error', { length: 500 }),
    doneAt: timestamp('done_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('scheduled_jobs_key').on(t.jobKey), index('scheduled_jobs_due').on(t.doneAt, t.runAt)],
)
