import { asc, eq, sql } from 'drizzle-orm'
import { auditEvents, auditStreams } from '../../db/schema'
import type { DbOrTx, Tx } from '../../db/client'
import { canonicalJson } from '../../lib/canonical-json'
import { sha256Hex } from '../../lib/crypto'

/**
 * The one audit log. Every state change that someone may later need to justify is appended here, in the same
 * transaction as the change. Events of a stream form a hash chain; `verifyStream` recomputes it.
 */
export const GENESIS_HASH = '0'.repeat(64)

export interface AuditInput {
  stream: string
  action: string
  actorPersonId: number | null
  subjectType: string
  subjectId: string | number
  data?: Record<string, unknown>
}

export const communityStream = (communityId: number) => `community:${communityId}`

function eventHash(
  prevHash: string,
  e: {
    stream: string
    seq: number
    action: string
    actorPersonId: number | null
    subjectType: string
    subjectId: string
    data: Record<string, unknown>
    createdAt: Date
  },
) {
  return sha256Hex(
    canonicalJson({
      prevHash,
      stream: e.stream,
      seq: e.seq,
      action: e.action,
      actor: e.actorPersonId,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      data: e.data,
      createdAt: e.createdAt.toISOString(),
    }),
  )
}

/** Must run inside the caller's transaction: the stream head row lock serialises appends per stream. */
export async function appendAudit(tx: Tx, input: AuditInput): Promise<{ seq: number; hash: string }> {
  return (await appendAuditOnceLocked(tx, input.stream, async () => input))!
}

/**
 * The same, but what to record is collected by `collect` once the stream head is locked, while no other
 * appender of this stream can run (a vote's ballots are recorded this way); null appends nothing.
 */
export async function appendAuditOnceLocked(
  tx: Tx,
  stream: string,
  collect: () => Promise<Omit<AuditInput, 'stream'> | null>,
): Promise<{ seq: number; hash: string } | null> {
  await tx
    .insert(auditStreams)
    .values({ stream, headSeq: 0, headHash: GENESIS_HASH })
    .onDuplicateKeyUpdate({ set: { stream: sql`stream` } })
  const [head] = await tx.select().from(auditStreams).where(eq(auditStreams.stream, stream)).for('update')
  if (!head) throw new Error('audit stream head missing')
  const collected = await collect()
  if (!collected) return null
  const event = {
    stream,
    seq: head.headSeq + 1,
    action: collected.action,
    actorPersonId: collected.actorPersonId,
    subjectType: collected.subjectType,
    subjectId: String(collected.subjectId),
    data: collected.data ?? {},
    createdAt: new Date(),
  }
  const hash = eventHash(head.headHash, event)
  await tx.insert(auditEvents).values({ ...event, prevHash: head.headHash, hash })
  await tx.update(auditStreams).set({ headSeq: event.seq, headHash: hash }).where(eq(auditStreams.stream, stream))
  return { seq: event.seq, hash }
}

export interface StreamVerification {
  ok: boolean
  events: number
  headHash: string
  /** first seq whose hash or link does not check out */
  brokenAt?: number
}

export async function verifyStream(db: DbOrTx, stream: string): Promise<StreamVerification> {
  const rows = await db.select().from(auditEvents).where(eq(auditEvents.stream, stream)).orderBy(asc(auditEvents.seq))
  let prev = GENESIS_HASH
  let expectedSeq = 1
  for (const row of rows) {
    const data = typeof row.data === 'string' ? (JSON.parse(row.data) as Record<string, unknown>) : row.data
    const recomputed = eventHash(prev, { ...row, data })
    if (row.seq !== expectedSeq || row.prevHash !== prev || row.hash !== recomputed) {
      return { ok: false, events: rows.length, headHash: prev, brokenAt: row.seq }
    }
    prev = row.hash
    expectedSeq++
  }
  return { ok: true, events: rows.length, headHash: prev }
}
