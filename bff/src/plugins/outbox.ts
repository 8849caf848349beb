import fp from 'fastify-plugin'
import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm'
import { outbox } from '../db/schema'
import type { DbOrTx } from '../db/client'
import { createDrain, pollWhileOpen } from '../lib/drain'

/**
 * The one outbox dispatcher. Rows are written in the caller's transaction (enqueue); delivery happens after
 * commit, outside any transaction: due rows are leased with FOR UPDATE SKIP LOCKED (so instances never deliver
 * the same row at once), then each topic's handler runs. At least once: a crash after sending but before
 * marking delivers again, which is why every message carries its dedupe key.
 */
export type DeliveryOutcome =
  | { result: 'delivered' | 'skipped'; note?: string }
  | { result: 'retry'; error: string; retryAt?: Date }
  | { result: 'dead'; error: string }
export type TopicHandler = (
  payload: Record<string, unknown>,
  meta: { id: number; attempts: number; dedupeKey: string },
) => Promise<DeliveryOutcome>

export interface Outbox {
  handle(topic: string, handler: TopicHandler, opts?: { maxAttempts?: number }): void
  /** in the caller's transaction; a second enqueue with the same dedupe key is ignored */
  enqueue(
    db: DbOrTx,
    message: { topic: string; dedupeKey: string; payload: Record<string, unknown>; at?: Date },
  ): Promise<void>
  /** delivers what is due now; returns how many rows were processed (the poll loop calls it; tests may too) */
  dispatchDue(): Promise<number>
}

declare module 'fastify' {
  interface FastifyInstance {
    outbox: Outbox
  }
}

const LEASE_MS = 60_000
const BATCH = 20
const retryDelay = (attempts: number) => Math.min(3_600_000, 2000 * 2 ** attempts) * (0.8 + Math.random() * 0.4)

export default fp(
  async (app) => {
    const handlers = new Map<string, { handler: TopicHandler; maxAttempts: number }>()
    async function lease(): Promise<(typeof outbox.$inferSelect)[]> {
      return app.db.transaction(async (tx) => {
        const now = new Date()
        const rows = await tx
          .select()
          .from(outbox)
          .where(
            and(
              eq(outbox.status, 'pending'),
              lte(outbox.nextAttemptAt, now),
              or(isNull(outbox.lockedUntil), lte(outbox.lockedUntil, now)),
            ),
          )
          .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
          .limit(BATCH)
          .for('update', { skipLocked: true })
        if (rows.length) {
          await tx
            .update(outbox)
            .set({ lockedUntil: new Date(now.getTime() + LEASE_MS), attempts: sql`${outbox.attempts} + 1` })
            .where(
              inArray(
                outbox.id,
                rows.map((r) => r.id),
              ),
            )
        }
        return rows
      })
    }

    async function deliver(row: typeof outbox.$inferSelect) {
      const entry = handlers.get(row.topic)
      const attempts = row.attempts + 1
      const payload =
        typeof row.payload === 'string' ? (JSON.parse(row.payload) as Record<string, unknown>) : row.payload
      let outcome: DeliveryOutcome
      try {
        outcome = entry
          ? await entry.handler(payload, { id: row.id, attempts, dedupeKey: row.dedupeKey })
          : { result: 'retry', error: `no handler for topic ${row.topic}` }
      } catch (err) {
        outcome = { result: 'retry', error: (err as Error).message }
      }
      if (outcome.result === 'retry' && attempts >= (entry?.maxAttempts ?? 10))
        outcome = { result: 'dead', error: outcome.error }
      const done = outcome.result === 'delivered' || outcome.result === 'skipped'
      await app.db
        .update(outbox)
        .set({
          status: outcome.result === 'retry' ? 'pending' : outcome.result,
          lockedUntil: null,
          deliveredAt: done ? new Date() : null,
          lastError: 'error' in outcome ? outcome.error.slice(0, 500) : (outcome.note ?? null),
          nextAttemptAt:
            outcome.result === 'retry'
              ? (outcome.retryAt ?? new Date(Date.now() + retryDelay(attempts)))
              : row.nextAttemptAt,
        })
        .where(eq(outbox.id, row.id))
      if (outcome.result === 'dead')
        app.log.error({ outboxId: row.id, topic: row.topic, error: outcome.error }, 'outbox message dead-lettered')
    }

    const drain = createDrain(async () => {
      const rows = await lease()
      await Promise.all(rows.map(deliver))
      return rows.length
    })
    const box: Outbox = {
      handle(topic, handler, opts = {}) {
        handlers.set(topic, { handler, maxAttempts: opts.maxAttempts ?? 10 })
      },
      async enqueue(db, m) {
        await db
          .insert(outbox)
          .values({ topic: m.topic, dedupeKey: m.dedupeKey, payload: m.payload, nextAttemptAt: m.at ?? new Date() })
          .onDuplicateKeyUpdate({ set: { dedupeKey: sql`${outbox.dedupeKey}` } })
      },
      dispatchDue: () => drain.run(),
    }
    app.decorate('outbox', box)

    pollWhileOpen(app, drain, 'outbox')
  },
  { name: 'outbox', dependencies: ['config', 'db'] },
)
