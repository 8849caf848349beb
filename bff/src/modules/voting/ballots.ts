import { randomBytes } from 'node:crypto'
import type { ResultSetHeader } from 'mysql2'
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise'
import { sql } from 'drizzle-orm'
import type { Choice } from '@linli/shared/voting/rules'
import { RECEIPT_LENGTH } from '@linli/shared/voting/receipts'
import { isDuplicateKey, type DbOrTx, type Tx } from '../../db/client'
import { canonicalJson } from '../../lib/canonical-json'
import { sha256Hex } from '../../lib/crypto'
import { appendAuditOnceLocked } from '../audit'

/**
 * Takes a ballot in ONE statement, only if at that instant the vote is open and the caller may vote for that
 * owner entry: as a verified owner or co-owner of one of its units while no proxy is active for it, or as the
 * holder of its active proxy (matched by the phone the owner named). The conditions are a scalar subquery that
 * gives the vote_id, or NULL when they do not hold, and vote_id is NOT NULL: the row is refused (ER_BAD_NULL_ERROR;
 * without strict mode NULL would become 0, which the foreign key to votes refuses). Measured on MariaDB, this
 * costs about a quarter less than INSERT … SELECT, whose fixed cost alone exceeds that of a plain INSERT.
 * The subquery's shared locks on the vote row, the roll entry and the proxy make a close, an extension, a proxy
 * grant or a revocation wait for the ballot and then see it; the unique keys (vote, owner, revision),
 * (vote, receipt) and (vote, caster, Idempotency-Key) make it exactly once. Revision 1 is every owner's first
 * ballot; a later one is taken only where the vote allows changes. The entry's units come from the frozen roll
 * (`unitsOfEntry`), so the owner check reads the caller's few memberships and no roll table.
 */
const INSERT_HEAD =
  'INSERT INTO vote_ballots (vote_id, owner_key, revision, cast_by_person_id, proxy_id, choices, receipt, ballot_hash, idempotency_key, created_at) VALUES '
const ballotRowSql = (via: 'owner' | 'proxy') => `
       ((SELECT v.id
           FROM votes v
           JOIN vote_roll_entries e ON e.vote_id = v.id AND e.owner_key = ?${via === 'proxy' ? '\n           JOIN vote_proxies p ON p.id = e.proxy_id' : ' AND e.proxy_id IS NULL'}
          WHERE v.id = ? AND v.community_id = ? AND v.state = 'open' AND v.opens_at <= ? AND v.closes_at > ?
            AND (? = 1 OR v.allow_change = 1)
            AND ${
              via === 'proxy'
                ? 'p.proxy_phone_hash = (SELECT phone_hash FROM persons WHERE id = ?)'
                : `EXISTS (SELECT 1 FROM memberships m
                         WHERE m.person_id = ? AND FIND_IN_SET(m.unit_id, ?) AND m.state = 'verified' AND m.relation IN ('owner', 'co_owner'))`
            }
          LOCK IN SHARE MODE),
        ?, ?, ?, ${via === 'proxy' ? '(SELECT proxy_id FROM vote_roll_entries WHERE vote_id = ? AND owner_key = ? LOCK IN SHARE MODE)' : 'NULL'}, ?, ?, ?, ?, ?)`
const OWNER_ROW = ballotRowSql('owner')
const INSERT_BALLOT = { owner: INSERT_HEAD + OWNER_ROW, proxy: INSERT_HEAD + ballotRowSql('proxy') }

/**
 * The units each owner entry of a published vote stands for, as `FIND_IN_SET` lists. The roll never changes
 * once published, so it is a copy of frozen data cached per process (a few votes at a time), not state. Until a
 * vote's roll is in, which takes a moment for a large community, an entry is looked up on its own.
 */
const frozenRolls = new Map<number, Map<string, string>>()
const loadingRolls = new Map<number, Promise<void>>()
export async function unitsOfEntry(pool: Pool, voteId: number, ownerKey: string): Promise<string> {
  const roll = frozenRolls.get(voteId)
  if (roll) return roll.get(ownerKey) ?? ''
  if (!loadingRolls.has(voteId)) {
    const loading = pool
      .execute<RowDataPacket[]>('SELECT owner_key, unit_id FROM vote_roll_units WHERE vote_id = ?', [voteId])
      .then(([rows]) => {
        const units = new Map<string, string>()
        for (const r of rows) {
          const key = r.owner_key as string
          units.set(key, units.has(key) ? `${units.get(key)},${r.unit_id}` : String(r.unit_id))
        }
        // an empty roll is a vote not yet published: not kept, so it is read again once it is
        if (units.size === 0) return
        if (frozenRolls.size >= 16) frozenRolls.delete(frozenRolls.keys().next().value!)
        frozenRolls.set(voteId, units)
      })
      .catch(() => undefined)
      .finally(() => loadingRolls.delete(voteId))
    loadingRolls.set(voteId, loading)
  }
  const [rows] = await pool.execute<RowDataPacket[]>(
    'SELECT unit_id FROM vote_roll_units WHERE vote_id = ? AND owner_key = ?',
    [voteId, ownerKey],
  )
  return rows.map((r) => r.unit_id as number).join(',')
}

export interface BallotAttempt {
  communityId: number
  voteId: number
  ownerKey: string
  personId: number
  /** sorted by matter id */
  choices: { matterId: number; choice: Choice }[]
  idempotencyKey: string
  revision: number
  /** as a verified owner of the entry (no proxy may be active), or as the holder of its active proxy */
  via: 'owner' | 'proxy'
  /** the entry's units (`unitsOfEntry`), for the owner check */
  units: string
}

export interface CastRow {
  voteId: number
  ownerKey: string
  revision: number
  castByPersonId: number
  receipt: string
  ballotHash: string
  createdAt: Date
}

/** the ballot hash commits to the ballot and a nonce; its prefix is the receipt owners keep */
function hashBallot(a: BallotAttempt): string {
  return sha256Hex(
    canonicalJson({
      voteId: a.voteId,
      ownerKey: a.ownerKey,
      revision: a.revision,
      choices: a.choices,
      castBy: a.personId,
      nonce: randomBytes(16).toString('hex'),
    }),
  )
}

/** mysql2 binary protocol: pass DATETIME(3) values as UTC text, as the pool's timezone 'Z' does for queries */
const sqlTime = (d: Date) => d.toISOString().slice(0, 23).replace('T', ' ')

/** the pool (autocommit: the statement is its own transaction) or a connection inside a transaction */
export type Executor = Pool | PoolConnection

/**
 * Runs the insert: the ballot if it was taken, null if the conditions did not hold (the caller finds out why).
 * A receipt that collides with another ballot's is lengthened; other duplicates are thrown.
 */
export async function insertBallot(conn: Executor, a: BallotAttempt): Promise<CastRow | null> {
  const row = prepare(a)
  for (let len = RECEIPT_LENGTH; ; len += 2) {
    const receipt = receiptOf(row, len)
    try {
      const [res] = await conn.execute<ResultSetHeader>(INSERT_BALLOT[a.via], paramsOf(a, row, receipt))
      if (res.affectedRows !== 1) return null
      return castRow(a, row, receipt)
    } catch (err) {
      if (isDuplicateKey(err) && String((err as Error).message).includes('vote_ballots_receipt') && len < 64) continue
      if (refusedByConditions(err)) return null
      throw err
    }
  }
}

interface Prepared {
  ballotHash: string
  createdAt: Date
  now: string
  choices: string
}
function prepare(a: BallotAttempt): Prepared {
  const createdAt = new Date()
  return { ballotHash: hashBallot(a), createdAt, now: sqlTime(createdAt), choices: JSON.stringify(a.choices) }
}
/** a prefix of the ballot hash (RECEIPT_LENGTH: the shape both sides check); lengthened only where it collides */
const receiptOf = (p: Prepared, len = RECEIPT_LENGTH) => p.ballotHash.slice(0, len).toUpperCase()
function paramsOf(a: BallotAttempt, p: Prepared, receipt: string): (string | number)[] {
  const params: (string | number)[] = [a.ownerKey, a.voteId, a.communityId, p.now, p.now, a.revision, a.personId]
  if (a.via === 'owner') params.push(a.units)
  params.push(a.ownerKey, a.revision, a.personId)
  if (a.via === 'proxy') params.push(a.voteId, a.ownerKey)
  params.push(p.choices, receipt, p.ballotHash, a.idempotencyKey, p.now)
  return params
}
const castRow = (a: BallotAttempt, p: Prepared, receipt: string): CastRow => ({
  voteId: a.voteId,
  ownerKey: a.ownerKey,
  revision: a.revision,
  castByPersonId: a.personId,
  receipt,
  ballotHash: p.ballotHash,
  createdAt: p.createdAt,
})

/**
 * Group insert of owners' ballots, as a database group-commits: the ballots that arrive while earlier groups
 * are being written go together in ONE multi-row statement (one round trip, one commit), each row under the
 * same conditions as a lone ballot. At most `maxInFlight` groups are written at once, so a lone ballot goes at
 * once and under load each group carries what arrived meanwhile. The statement is atomic: if any row of it is
 * refused or collides (a twin request, an earlier ballot, a receipt, a deadlock), none is taken and each ballot
 * of the group is tried again on its own, which gives each its own answer. Nothing waits here but requests in
 * flight: a process that dies loses no ballot that was answered.
 */
export function ballotGroups(pool: Pool, opts: { maxInFlight?: number; maxGroup?: number } = {}) {
  const maxInFlight = opts.maxInFlight ?? 4
  const maxGroup = opts.maxGroup ?? 64
  interface Waiting {
    a: BallotAttempt
    resolve: (row: CastRow | null) => void
    reject: (err: unknown) => void
  }
  const queue: Waiting[] = []
  let inFlight = 0
  const alone = (w: Waiting) => insertBallot(pool, w.a).then(w.resolve, w.reject)
  async function write(group: Waiting[]) {
    if (group.length === 1) return alone(group[0]!)
    const rows = group.map((w) => prepare(w.a))
    const receipts = rows.map((r) => receiptOf(r))
    try {
      const [res] = await pool.query<ResultSetHeader>(
        INSERT_HEAD + group.map(() => OWNER_ROW).join(','),
        group.flatMap((w, i) => paramsOf(w.a, rows[i]!, receipts[i]!)),
      )
      if (res.affectedRows !== group.length)
        throw new Error(`group insert took ${res.affectedRows} of ${group.length} ballots`)
    } catch {
      await Promise.all(group.map(alone))
      return
    }
    group.forEach((w, i) => {
      w.resolve(castRow(w.a, rows[i]!, receipts[i]!))
    })
  }
  function pump() {
    while (inFlight < maxInFlight && queue.length > 0) {
      inFlight++
      void write(queue.splice(0, maxGroup)).finally(() => {
        inFlight--
        pump()
      })
    }
  }
  return {
    /** a ballot through the pool (autocommit): owners' ballots grouped, a proxy's alone */
    insert(a: BallotAttempt): Promise<CastRow | null> {
      if (a.via !== 'owner') return insertBallot(pool, a)
      return new Promise((resolve, reject) => {
        queue.push({ a, resolve, reject })
        pump()
      })
    },
  }
}

/** the conditions did not hold: vote_id came out NULL (strict mode) or 0 (caught by the foreign key) */
function refusedByConditions(err: unknown): boolean {
  const e = err as { code?: string; message?: string }
  if (e?.code === 'ER_BAD_NULL_ERROR') return String(e.message).includes("'vote_id'")
  return (
    (e?.code === 'ER_NO_REFERENCED_ROW_2' || e?.code === 'ER_NO_REFERENCED_ROW') &&
    String(e.message).includes('vote_ballots_vote_id')
  )
}

/** which unique key a duplicate-key error names */
export function duplicateOf(err: unknown): 'revision' | 'idempotency' | null {
  if (!isDuplicateKey(err)) return null
  const msg = String((err as Error).message)
  if (msg.includes('vote_ballots_idempotency')) return 'idempotency'
  if (msg.includes('vote_ballots_revision')) return 'revision'
  return null
}

// ---------------------------------------------------------------------------------------------------------------
// the chain: ballots enter their vote's hash-chained log after they commit

export const CHAIN_JOB = 'vote.chain'
export const BALLOTS_RECORDED = 'ballots.recorded'
/** one event per ballot, as votes recorded them before ballots were recorded in batches */
const LEGACY_CAST = 'ballot.cast'
const LEGACY_CHANGED = 'ballot.changed'
const BATCH = 2000

/** One ballot as its vote's log records it: enough to recognise it, not to learn how anyone voted. */
export interface RecordedBallot {
  receipt: string
  ownerKey: string
  revision: number
  ballotHash: string
  viaProxy: boolean
  castAt: string
}

/**
 * Records the vote's ballots that are not in its log yet, in the order they were taken, as one
 * `ballots.recorded` event listing each of them (receipt, owner, revision, ballot hash, proxy or not, time), and
 * marks them with that event's place (audit_seq). The unchained ballots are read only once the stream head is
 * locked, so two chainers never record one ballot twice; a ballot that commits meanwhile waits for the next run
 * (the close runs one before it tallies). Run it in a READ COMMITTED transaction, so that read sees every ballot
 * committed so far. One event per batch rather than per ballot: the log grows by one row per second of voting,
 * not by one per ballot, and every ballot is still in the chain with its own hash.
 */
export async function chainBallots(tx: Tx, voteId: number, stream: string): Promise<number> {
  let chained = 0
  for (;;) {
    let ids: number[] = []
    const appended = await appendAuditOnceLocked(tx, stream, async () => {
      const [rows] = (await tx.execute(
        sql`SELECT id, owner_key, revision, proxy_id, receipt, ballot_hash, created_at FROM vote_ballots WHERE vote_id = ${voteId} AND audit_seq IS NULL ORDER BY id LIMIT ${BATCH}`,
      )) as unknown as [
        {
          id: number
          owner_key: string
          revision: number
          proxy_id: number | null
          receipt: string
          ballot_hash: string
          created_at: Date
        }[],
      ]
      if (rows.length === 0) return null
      ids = rows.map((b) => Number(b.id))
      const ballots: RecordedBallot[] = rows.map((b) => ({
        receipt: b.receipt,
        ownerKey: b.owner_key,
        revision: b.revision,
        ballotHash: b.ballot_hash,
        viaProxy: b.proxy_id !== null,
        castAt: new Date(b.created_at).toISOString(),
      }))
      return {
        action: BALLOTS_RECORDED,
        actorPersonId: null,
        subjectType: 'vote',
        subjectId: voteId,
        data: { count: ballots.length, ballots },
      }
    })
    if (!appended) return chained
    await tx.execute(sql.raw(`UPDATE vote_ballots SET audit_seq = ${appended.seq} WHERE id IN (${ids.join(',')})`))
    chained += ids.length
    if (ids.length < BATCH) return chained
  }
}

/**
 * For verification: every ballot is recorded in the log exactly once, in the event it points to, with its own
 * hash, and the log records no ballot that is not there. (The chain itself is checked by verifyStream.)
 */
export async function ballotsInChain(
  db: DbOrTx,
  voteId: number,
  stream: string,
): Promise<{ ballots: number; unchained: number; mismatched: number }> {
  const [[rows], [events]] = (await Promise.all([
    db.execute(
      sql`SELECT receipt, owner_key, revision, ballot_hash, proxy_id, audit_seq FROM vote_ballots WHERE vote_id = ${voteId}`,
    ),
    db.execute(
      sql`SELECT seq, action, subject_id, data FROM audit_events WHERE stream = ${stream} AND action IN (${BALLOTS_RECORDED}, ${LEGACY_CAST}, ${LEGACY_CHANGED})`,
    ),
  ])) as unknown as [
    [
      {
        receipt: string
        owner_key: string
        revision: number
        ballot_hash: string
        proxy_id: number | null
        audit_seq: number | null
      }[],
    ],
    [{ seq: number; action: string; subject_id: string; data: unknown }[]],
  ]
  const recorded = new Map<string, { seq: number; ballot: RecordedBallot }>()
  let mismatched = 0
  for (const e of events) {
    const data = (typeof e.data === 'string' ? JSON.parse(e.data) : e.data) as { ballots?: RecordedBallot[] } & Omit<
      RecordedBallot,
      'receipt'
    >
    // votes from before ballots were recorded in batches have one event per ballot
    const ballots = e.action === BALLOTS_RECORDED ? (data.ballots ?? []) : [{ ...data, receipt: e.subject_id }]
    for (const b of ballots) {
      if (recorded.has(b.receipt)) mismatched++ // recorded twice
      recorded.set(b.receipt, { seq: e.seq, ballot: b })
    }
  }
  let unchained = 0
  for (const b of rows) {
    const r = recorded.get(b.receipt)
    recorded.delete(b.receipt)
    if (b.audit_seq === null && !r) unchained++
    else if (
      !r ||
      r.seq !== b.audit_seq ||
      r.ballot.ballotHash !== b.ballot_hash ||
      r.ballot.ownerKey !== b.owner_key ||
      r.ballot.revision !== b.revision ||
      r.ballot.viaProxy !== (b.proxy_id !== null)
    )
      mismatched++
  }
  // recorded ballots that no longer exist
  mismatched += recorded.size
  return { ballots: rows.length, unchained, mismatched }
}
