import fp from 'fastify-plugin'
import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm'
import { scheduledJobs } from '../db/schema'
import type { DbOrTx, Tx } from '../db/client'
import { createDrain, pollWhileOpen } from '../lib/drain'

/**
 * The one scheduler for timers (vote opening and closing, reminders, later SLA escalations). Jobs live in
 * MySQL, so they survive restarts; each due job is claimed with FOR UPDATE SKIP LOCKED and its handler runs in
 * the same transaction that marks it done, so it fires once across any number of BFF instances.
 */
export type JobHandler = (payload: Record<string, unknown>, tx: Tx) => Promise<void>

export interface JobSpec {
  kind: string
  /** unique: scheduling the same key again moves the timer instead of adding one */
  key: string
  runAt: Date
  payload?: Record<string, unknown>
}

export interface Scheduler {
  handle(kind: string, handler: JobHandler): void
  schedule(db: DbOrTx, job: JobSpec): Promise<void>
  cancel(db: DbOrTx, key: string): Promise<void>
  /**
   * Locks these timers' rows in a transaction that will then lock what their handlers lock and move or cancel
   * them: taking the timer first, as the scheduler does, avoids a deadlock with a handler firing meanwhile
   * (the scheduler skips a locked timer and finds it, moved or not, on its next poll).
   */
  lock(tx: Tx, keys: string[]): Promise<void>
  /** runs every due job now; returns how many ran (the poll loop calls it; tests may too) */
  runDue(): Promise<number>
}

declare module 'fastify' {
  interface FastifyInstance {
    scheduler: Scheduler
  }
}

/**
 * Adds (or moves) a timer inside the caller's transaction: the plugin's `schedule`, for code that has a
 * transaction but not the app (a pure service function called from several modules).
 */
export async function scheduleJob(db: DbOrTx, job: JobSpec): Promise<void> {
  await db
    .insert(scheduledJobs)
    .values({ kind: job.kind, jobKey: job.key, runAt: job.runAt, payload: job.payload ?? {} })
    .onDuplicateKeyUpdate({
      set: { kind: job.kind, runAt: job.runAt, payload: job.payload ?? {}, doneAt: null, attempts: 0, lastError: null },
    })
}

const backoffMs = (attempts: number) => Math.min(3_600_000, 1000 * 2 ** attempts)

export default fp(
  async (app) => {
    const handlers = new Map<string, JobHandler>()
    async function runOne(): Promise<boolean> {
      let claimed: { id: number; attempts: number } | undefined
      try {
        return await app.db.transaction(
          async (tx) => {
            const [job] = await tx
              .select()
              .from(scheduledJobs)
              .where(and(isNull(scheduledJobs.doneAt), lte(scheduledJobs.runAt, new Date())))
              .orderBy(asc(scheduledJobs.runAt))
              .limit(1)
              .for('update', { skipLocked: true })
            if (!job) return false
            claimed = { id: job.id, attempts: job.attempts }
            const handler = handlers.get(job.kind)
            if (!handler) throw new Error(`no handler for job kind ${job.kind}`)
            const payload =
              typeof job.payload === 'string' ? (JSON.parse(job.payload) as Record<string, unknown>) : job.payload
            await handler(payload, tx)
            await tx
              .update(scheduledJobs)
              .set({ doneAt: new Date(), attempts: job.attempts + 1, lastError: null })
              .where(eq(scheduledJobs.id, job.id))
            return true
            // each statement of a handler sees what is committed when it runs (a close counts every ballot
            // committed before it took the vote's lock); handlers rely on row locks, not on a snapshot
          },
          { isolationLevel: 'read committed' },
        )
      } catch (err) {
        if (!claimed) throw err
        app.log.error({ err, jobId: claimed.id }, 'scheduled job failed; will retry')
        await app.db
          .update(scheduledJobs)
          .set({
            attempts: claimed.attempts + 1,
            lastError: String((err as Error).message).slice(0, 500),
            runAt: new Date(Date.now() + backoffMs(claimed.attempts)),
          })
          .where(eq(scheduledJobs.id, claimed.id))
        return true
      }
    }

    const drain = createDrain(async () => ((await runOne()) ? 1 : 0))
    const scheduler: Scheduler = {
      handle(kind, handler) {
        handlers.set(kind, handler)
      },
      schedule: scheduleJob,
      async cancel(db, key) {
        await db
          .update(scheduledJobs)
          .set({ doneAt: sql`CURRENT_TIMESTAMP(3)`, lastError: 'cancelled' })
          .where(and(eq(scheduledJobs.jobKey, key), isNull(scheduledJobs.doneAt)))
      },
      async lock(tx, keys) {
        if (keys.length === 0) return
        await tx
          .select({ id: scheduledJobs.id })
          .from(scheduledJobs)
          .where(inArray(scheduledJobs.jobKey, [...keys].sort()))
          .for('update')
      },
      runDue: () => drain.run(),
    }
    app.decorate('scheduler', scheduler)

    pollWhileOpen(app, drain, 'scheduler')
  },
  { name: 'scheduler', dependencies: ['config', 'db'] },
)
