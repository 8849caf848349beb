import { and, asc, eq, inArray, ne, not, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import type { RowDataPacket } from 'mysql2/promise'
import { isOwnerRelation, RELATIONS } from '@linli/shared/households/rules'
import { maskPhone } from '@linli/shared/privacy/mask'
import { messagePages } from '@linli/shared/notifications'
import {
  basisPoints,
  CHOICE_VISIBILITIES,
  DEFAULT_CHOICE_VISIBILITY,
  maySeeChoices,
  MIN_NOTICE_DAYS,
  NOTICE_LAW,
  noticePeriod,
  thresholdOf,
  type Choice,
  type ChoiceVisibility,
  type MatterCategory,
  type VoteState,
} from '@linli/shared/voting/rules'
import { committeeActions, reminderRound, type CommitteeAction } from '@linli/shared/voting/actions'
import { checkReceiptCode } from '@linli/shared/voting/receipts'
import type {
  BallotReceipt,
  CastBallotBody,
  CreateVoteBody,
  ExtendVoteBody,
  GrantProxyBody,
  MatterResult,
  MyEntry,
  VoteProxy,
  PublicBallot,
  PublishVoteBody,
  ReceiptCheck,
  RollSummary,
  VoteDetail,
  VoteSummary,
} from '@linli/shared/schemas'
import {
  buildings,
  communities,
  memberships,
  persons,
  rosterOwners,
  units,
  voteBallots,
  voteExtensions,
  voteMatters,
  voteProxies,
  voteRollEntries,
  voteRollUnits,
  votes,
  voteTallies,
} from '../../db/schema'
import type { Db, DbOrTx, Tx } from '../../db/client'
import { AppError, notFound } from '../../errors'
import { canonicalJson } from '../../lib/canonical-json'
import { sha256Hex } from '../../lib/crypto'
import { appendAudit } from '../audit'
import { messageTime, notificationService } from '../notifications'
import { photoService, type PhotoRow } from '../photos'
import {
  ballotGroups,
  CHAIN_JOB,
  chainBallots,
  duplicateOf,
  insertBallot,
  unitsOfEntry,
  type BallotAttempt,
  type CastRow,
} from './ballots'
import { computeRoll, itemsFingerprint } from './roll'
import { figuresOf, tallyMatter } from './tally'

type Deps = Pick<
  FastifyInstance,
  'db' | 'pool' | 'protector' | 'scheduler' | 'outbox' | 'wechat' | 'config' | 'addHook' | 'storage'
>
type Notifier = ReturnType<typeof notificationService>
type VoteRow = typeof votes.$inferSelect

export const voteStream = (voteId: number) => `vote:${voteId}`
const OPEN_JOB = 'vote.open'
const CLOSE_JOB = 'vote.close'
const REMIND_JOB = 'vote.remind'
const jobKey = (kind: string, voteId: number) => `${kind}:${voteId}`
const OWNER_RELATIONS = RELATIONS.filter(isOwnerRelation)
const DAY = 86_400_000

const iso = (d: Date | null) => (d ? d.toISOString() : null)
const parseJson = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v)

/** Each statement sees the latest committed rows; correctness rests on the row locks taken below. */
const READ_COMMITTED = { isolationLevel: 'read committed' } as const

/**
 * A shared lock on the vote row (LOCK IN SHARE MODE: MariaDB and MySQL both accept it; FOR SHARE is MySQL-only),
 * as the ballot statement takes it: closing or extending takes the row exclusively, so it waits for these.
 */
async function lockVoteShared(
  tx: Tx,
  communityId: number,
  voteId: number,
): Promise<Pick<VoteRow, 'id' | 'state' | 'opensAt' | 'closesAt' | 'allowChange'>> {
  const [rows] = (await tx.execute(
    sql`SELECT id, state, opens_at, closes_at, allow_change FROM votes WHERE id = ${voteId} AND community_id = ${communityId} LOCK IN SHARE MODE`,
  )) as unknown as [{ id: number; state: VoteState; opens_at: Date; closes_at: Date; allow_change: number }[]]
  const row = rows[0]
  if (!row || row.state === 'draft') throw notFound('vote')
  return {
    id: row.id,
    state: row.state,
    opensAt: new Date(row.opens_at),
    closesAt: new Date(row.closes_at),
    allowChange: Boolean(row.allow_change),
  }
}

/**
 * The committee's actions are authorised by the one shared rule (shared/src/voting/actions.ts) that also decides
 * which buttons the mini-program offers: the vote's state, the rules frozen into it at publish, and the time.
 */
function assertAllowed(vote: VoteRow, action: CommitteeAction, now = Date.now()) {
  const verdict = committeeActions(vote, now)[action]
  if (!verdict.allowed) throw new AppError(verdict.code, verdict.why, { state: vote.state, action })
}

/** A community's visibility rule as stored (JSON, edited by hand): anything unknown reads as the default. */
function choiceVisibilityOf(value: unknown): ChoiceVisibility {
  return CHOICE_VISIBILITIES.includes(value as ChoiceVisibility)
    ? (value as ChoiceVisibility)
    : DEFAULT_CHOICE_VISIBILITY
}

function validateWindow(body: Pick<CreateVoteBody, 'announcedAt' | 'opensAt' | 'closesAt'>) {
  const announcedAt = new Date(body.announcedAt)
  const opensAt = new Date(body.opensAt)
  const closesAt = new Date(body.closesAt)
  if (opensAt < announcedAt)
    throw new AppError('VALIDATION_FAILED', 'body.opensAt: voting cannot open before the notice is announced', [
      { field: 'body.opensAt', message: 'before announcedAt' },
    ])
  if (closesAt <= opensAt)
    throw new AppError('VALIDATION_FAILED', 'body.closesAt: must be after opensAt', [
      { field: 'body.closesAt', message: 'not after opensAt' },
    ])
  return { announcedAt, opensAt, closesAt }
}

/** Runs the close of a vote exactly once: the vote row lock plus the state check make a second call a no-op. */
async function closeAndTally(
  tx: Tx,
  vote: VoteRow,
  actorPersonId: number | null,
  how: 'scheduled' | 'early',
): Promise<void> {
  // every ballot enters the log before the close does; none can be cast once the vote row is ours
  await chainBallots(tx, vote.id, voteStream(vote.id))
  const closedAt = new Date()
  await tx.update(votes).set({ state: 'closed', closedAt }).where(eq(votes.id, vote.id))
  await appendAudit(tx, {
    stream: voteStream(vote.id),
    action: 'vote.closed',
    actorPersonId,
    subjectType: 'vote',
    subjectId: vote.id,
    data: { how, closedAt: closedAt.toISOString() },
  })
  const results = await computeResults(tx, vote)
  for (const r of results) {
    await tx.insert(voteTallies).values({
      voteId: vote.id,
      matterId: r.matterId,
      kind: 'official',
      figures: r.official as unknown as Record<string, unknown>,
    })
    if (r.nonVotersFollowMajority) {
      await tx.insert(voteTallies).values({
        voteId: vote.id,
        matterId: r.matterId,
        kind: 'non_voters_follow_majority',
        figures: r.nonVotersFollowMajority as unknown as Record<string, unknown>,
      })
    }
  }
  await appendAudit(tx, {
    stream: voteStream(vote.id),
    action: 'vote.tallied',
    actorPersonId: null,
    subjectType: 'vote',
    subjectId: vote.id,
    data: {
      tallyHash: sha256Hex(canonicalJson(results)),
      decisions: results.map((r) => ({
        matterId: r.matterId,
        quorumMet: r.official.quorumMet,
        passed: r.official.passed,
      })),
    },
  })
}

/** An owner's ballot that counts is their latest revision: no later one exists. */
const isHeadBallot = sql`NOT EXISTS (SELECT 1 FROM vote_ballots later WHERE later.vote_id = ${voteBallots.voteId} AND later.owner_key = ${voteBallots.ownerKey} AND later.revision > ${voteBallots.revision})`
/** Whether an owner entry has voted (any revision). */
const hasVoted = sql`EXISTS (SELECT 1 FROM ${voteBallots} WHERE ${voteBallots.voteId} = ${voteRollEntries.voteId} AND ${voteBallots.ownerKey} = ${voteRollEntries.ownerKey})`

/** Counts the ballots that count (each owner's latest revision) with decideMatter; used for live figures, the close and the recount. */
export async function computeResults(
  db: DbOrTx,
  vote: Pick<VoteRow, 'id' | 'totalArea' | 'totalOwners' | 'nonVotersFollowMajority'>,
): Promise<MatterResult[]> {
  const [matters, counted] = await Promise.all([
    db.select().from(voteMatters).where(eq(voteMatters.voteId, vote.id)).orderBy(asc(voteMatters.position)),
    db
      .select({ areaCenti: voteRollEntries.areaCenti, choices: voteBallots.choices })
      .from(voteBallots)
      .innerJoin(
        voteRollEntries,
        and(eq(voteRollEntries.voteId, voteBallots.voteId), eq(voteRollEntries.ownerKey, voteBallots.ownerKey)),
      )
      .where(and(eq(voteBallots.voteId, vote.id), isHeadBallot)),
  ])
  const totals = { totalArea: Number(vote.totalArea ?? 0), totalOwners: vote.totalOwners ?? 0 }
  const perMatter = new Map<number, { areaCenti: number; choice: Choice }[]>(matters.map((m) => [m.id, []]))
  for (const b of counted) {
    for (const c of parseJson(b.choices))
      perMatter.get(c.matterId)?.push({ areaCenti: Number(b.areaCenti), choice: c.choice })
  }
  return matters.map((m) => ({
    matterId: m.id,
    ...tallyMatter(
      figuresOf(m.category as MatterCategory, totals, perMatter.get(m.id) ?? []),
      vote.nonVotersFollowMajority,
    ),
  }))
}

/** A day before the end (or half-way through a shorter window): when owners who have not voted are reminded. */
function reminderTime(vote: Pick<VoteRow, 'opensAt' | 'closesAt'>): Date {
  const dayBefore = vote.closesAt.getTime() - DAY
  return new Date(
    dayBefore > vote.opensAt.getTime() ? dayBefore : (vote.opensAt.getTime() + vote.closesAt.getTime()) / 2,
  )
}

/**
 * Everyone who may still vote for an owner that has not voted: its verified owners/co-owners, or the proxy
 * holding it. Reminders go through the one notification adapter (one-time subscriptions are counted there).
 */
async function remindNonVoters(
  tx: DbOrTx,
  notifier: Notifier,
  vote: Pick<VoteRow, 'id' | 'communityId' | 'title' | 'closesAt'>,
  round: string,
): Promise<number> {
  const owners = await tx
    .selectDistinct({ personId: memberships.personId })
    .from(voteRollEntries)
    .innerJoin(
      voteRollUnits,
      and(eq(voteRollUnits.voteId, voteRollEntries.voteId), eq(voteRollUnits.ownerKey, voteRollEntries.ownerKey)),
    )
    .innerJoin(
      memberships,
      and(
        eq(memberships.unitId, voteRollUnits.unitId),
        eq(memberships.state, 'verified'),
        inArray(memberships.relation, OWNER_RELATIONS),
      ),
    )
    .where(and(eq(voteRollEntries.voteId, vote.id), not(hasVoted)))
  const proxies = await tx
    .selectDistinct({ personId: persons.id })
    .from(voteProxies)
    .innerJoin(
      voteRollEntries,
      and(eq(voteRollEntries.voteId, voteProxies.voteId), eq(voteRollEntries.ownerKey, voteProxies.ownerKey)),
    )
    .innerJoin(persons, eq(persons.phoneHash, voteProxies.proxyPhoneHash))
    .where(and(eq(voteProxies.voteId, vote.id), eq(voteProxies.state, 'active'), not(hasVoted)))
  const people = new Set([...owners, ...proxies].map((p) => p.personId))
  const deadline = messageTime(vote.closesAt)
  for (const personId of people) {
    await notifier.notify(tx, {
      personId,
      template: 'vote_reminder',
      page: messagePages.voteDetail(vote.communityId, vote.id),
      data: { thing1: vote.title, time2: deadline, thing3: '您还未表决，请在截止前投票' },
      dedupeKey: `vote:${vote.id}:remind:${round}`,
    })
  }
  return people.size
}

/**
 * The matters of a published vote never change, so their ids are cached per process; this is a copy of frozen
 * data, not state: any instance may rebuild it from MySQL, and a draft (still editable) is never cached.
 */
const frozenMatters = new Map<string, Promise<number[]>>()
function mattersOf(db: DbOrTx, communityId: number, voteId: number): Promise<number[]> {
  const key = `${communityId}:${voteId}`
  const cached = frozenMatters.get(key)
  if (cached) return cached
  const loading = db
    .select({ id: voteMatters.id })
    .from(voteMatters)
    .innerJoin(votes, eq(votes.id, voteMatters.voteId))
    .where(and(eq(voteMatters.voteId, voteId), eq(votes.communityId, communityId), ne(votes.state, 'draft')))
    .then((rows) => {
      if (rows.length === 0) throw notFound('vote')
      return rows.map((m) => m.id)
    })
  if (frozenMatters.size > 1000) frozenMatters.clear()
  frozenMatters.set(key, loading)
  // only a published vote's matters are kept: a draft, an unknown vote or a failed read is asked again next time
  loading.catch(() => frozenMatters.delete(key))
  return loading
}

/**
 * Asks for a vote's new ballots to be chained into its log soon: at most one request per vote every
 * CHAIN_DELAY_MS from this instance, through the one scheduler (a due job that any instance may run once). A
 * request lost with its process loses nothing: the next one, or at the latest the close, chains every ballot.
 */
const CHAIN_DELAY_MS = 200
function ballotChainer(app: Deps) {
  const pending = new Map<number, NodeJS.Timeout>()
  const request = async (voteId: number) => {
    pending.delete(voteId)
    try {
      await app.scheduler.schedule(app.db, {
        kind: CHAIN_JOB,
        key: jobKey(CHAIN_JOB, voteId),
        runAt: new Date(),
        payload: { voteId },
      })
      if (app.config.scheduler.enabled) await app.scheduler.runDue()
    } catch {
      // the next ballot asks again, and the close chains whatever is left
    }
  }
  app.addHook('onClose', async () => {
    const voteIds = [...pending.keys()]
    for (const t of pending.values()) clearTimeout(t)
    await Promise.all(voteIds.map(request))
  })
  return {
    soon(voteId: number) {
      if (pending.has(voteId)) return
      const timer = setTimeout(() => void request(voteId), CHAIN_DELAY_MS)
      timer.unref()
      pending.set(voteId, timer)
    },
  }
}

export function votingService(app: Deps) {
  const { db, pool, protector, scheduler } = app
  const notifier = notificationService(app)
  const chainer = ballotChainer(app)
  const photos = photoService(app)
  const ballots = ballotGroups(pool)

  /** A later ballot of an owner who has voted: the next revision, under the roll entry's row lock. */
  async function castChange(first: BallotAttempt): Promise<{ row: CastRow | null; tried: BallotAttempt }> {
    const conn = await pool.getConnection()
    try {
      await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED')
      await conn.beginTransaction()
      try {
        // locks in the order every ballot takes them (vote, then entry), so none waits on another in a circle
        await conn.execute('SELECT 1 FROM votes WHERE id = ? LOCK IN SHARE MODE', [first.voteId])
        await conn.execute('SELECT 1 FROM vote_roll_entries WHERE vote_id = ? AND owner_key = ? FOR UPDATE', [
          first.voteId,
          first.ownerKey,
        ])
        const [rows] = await conn.execute<RowDataPacket[]>(
          'SELECT COALESCE(MAX(revision), 0) AS head FROM vote_ballots WHERE vote_id = ? AND owner_key = ?',
          [first.voteId, first.ownerKey],
        )
        const tried = { ...first, revision: Number(rows[0]!.head) + 1 }
        const row = await insertBallot(conn, tried)
        await conn.commit()
        return { row, tried }
      } catch (err) {
        await conn.rollback().catch(() => undefined)
        throw err
      }
    } finally {
      conn.release()
    }
  }

  /**
   * Why a ballot was not taken, read after the fact, as the error to answer with; or, if nothing stands in the
   * way any more, how the caller may vote for that entry (as its owner or its proxy) so the cast is tried again.
   */
  async function whyRefused(a: BallotAttempt): Promise<'owner' | 'proxy'> {
    const [vote] = await db
      .select()
      .from(votes)
      .where(and(eq(votes.id, a.voteId), eq(votes.communityId, a.communityId)))
    if (!vote || vote.state === 'draft') throw notFound('vote')
    const now = Date.now()
    if (vote.state !== 'open' || now < vote.opensAt.getTime() || now >= vote.closesAt.getTime())
      throw new AppError('VOTE_NOT_OPEN', `the vote is ${vote.state}`, { state: vote.state })
    const via = (await entriesOf(db, a.voteId, a.personId)).get(a.ownerKey)
    if (!via) throw new AppError('FORBIDDEN', 'only a verified owner of this entry, or their proxy, may vote for it')
    if (via === 'owner') {
      const [proxy] = await db
        .select({ id: voteProxies.id })
        .from(voteProxies)
        .where(
          and(eq(voteProxies.voteId, a.voteId), eq(voteProxies.ownerKey, a.ownerKey), eq(voteProxies.state, 'active')),
        )
      if (proxy) throw new AppError('PROXY_ACTIVE')
    }
    if (a.revision > 1 && !vote.allowChange) throw new AppError('BALLOT_ALREADY_CAST')
    return via
  }

  /** The vote row, exclusively; its timers first, in the order the scheduler locks them (timer, then vote). */
  async function lockVote(tx: Tx, communityId: number, voteId: number): Promise<VoteRow> {
    await scheduler.lock(
      tx,
      [OPEN_JOB, CLOSE_JOB, REMIND_JOB].map((kind) => jobKey(kind, voteId)),
    )
    const [vote] = await tx
      .select()
      .from(votes)
      .where(and(eq(votes.id, voteId), eq(votes.communityId, communityId)))
      .for('update')
    if (!vote) throw notFound('vote')
    return vote
  }

  async function getVote(communityId: number, voteId: number, opts: { includeDrafts: boolean }): Promise<VoteRow> {
    const [vote] = await db
      .select()
      .from(votes)
      .where(and(eq(votes.id, voteId), eq(votes.communityId, communityId)))
    if (!vote || (vote.state === 'draft' && !opts.includeDrafts)) throw notFound('vote')
    return vote
  }

  async function writeMatters(tx: Tx, voteId: number, matters: CreateVoteBody['matters']) {
    await tx.delete(voteMatters).where(eq(voteMatters.voteId, voteId))
    await tx
      .insert(voteMatters)
      .values(matters.map((m, i) => ({ voteId, position: i + 1, category: m.category, text: m.text.trim() })))
  }

  async function detail(vote: VoteRow): Promise<VoteDetail> {
    const [matters, extensions] = await Promise.all([
      db.select().from(voteMatters).where(eq(voteMatters.voteId, vote.id)).orderBy(asc(voteMatters.position)),
      db.select().from(voteExtensions).where(eq(voteExtensions.voteId, vote.id)).orderBy(asc(voteExtensions.id)),
    ])
    const started = vote.state === 'open' || vote.state === 'closed' || vote.state === 'announced'
    let participation: VoteDetail['participation'] = null
    if (started) {
      const [p] = await db
        .select({ owners: sql<number>`COUNT(*)`, area: sql<string>`COALESCE(SUM(${voteRollEntries.areaCenti}), 0)` })
        .from(voteRollEntries)
        .where(and(eq(voteRollEntries.voteId, vote.id), hasVoted))
      participation = {
        totalArea: Number(vote.totalArea),
        totalOwners: vote.totalOwners ?? 0,
        participatingArea: Number(p?.area ?? 0),
        participatingOwners: Number(p?.owners ?? 0),
      }
    }
    let results: VoteDetail['results'] = null
    if (vote.state === 'closed' || vote.state === 'announced') results = await storedResults(vote.id)
    else if (vote.state === 'open' && !vote.hideResultsUntilClose) results = await computeResults(db, vote)
    const notice = noticePeriod(vote.announcedAt, vote.opensAt)
    return {
      id: vote.id,
      communityId: vote.communityId,
      title: vote.title,
      noticeText: vote.noticeText,
      state: vote.state,
      announcedAt: vote.announcedAt.toISOString(),
      opensAt: vote.opensAt.toISOString(),
      closesAt: vote.closesAt.toISOString(),
      noticeDays: notice.days,
      noticeTooShort: notice.short,
      shortNoticeReason: vote.shortNoticeReason,
      allowChange: vote.allowChange,
      hideResultsUntilClose: vote.hideResultsUntilClose,
      nonVotersFollowMajority: vote.nonVotersFollowMajority,
      parkingCounts: vote.parkingCounts,
      earlyCloseAllowed: vote.earlyCloseAllowed,
      choicesVisibleTo: vote.choicesVisibleTo,
      lastRemindedAt: iso(vote.lastRemindedAt),
      matters: matters.map((m) => ({
        id: m.id,
        position: m.position,
        category: m.category as MatterCategory,
        text: m.text,
        threshold: thresholdOf(m.category as MatterCategory),
      })),
      fingerprints:
        vote.rollFingerprint && vote.itemsFingerprint
          ? { roll: vote.rollFingerprint, items: vote.itemsFingerprint }
          : null,
      participation,
      results,
      extensions: extensions.map((e) => ({
        from: e.fromAt.toISOString(),
        to: e.toAt.toISOString(),
        reason: e.reason,
        at: e.createdAt.toISOString(),
      })),
      publishedAt: iso(vote.publishedAt),
      openedAt: iso(vote.openedAt),
      closedAt: iso(vote.closedAt),
      resultsAnnouncedAt: iso(vote.resultsAnnouncedAt),
    }
  }

  async function storedResults(voteId: number): Promise<MatterResult[]> {
    const rows = await db
      .select()
      .from(voteTallies)
      .where(eq(voteTallies.voteId, voteId))
      .orderBy(asc(voteTallies.matterId))
    const byMatter = new Map<number, MatterResult>()
    for (const r of rows) {
      const entry =
        byMatter.get(r.matterId) ?? ({ matterId: r.matterId, nonVotersFollowMajority: null } as unknown as MatterResult)
      const figures = parseJson(r.figures) as unknown
      if (r.kind === 'official') entry.official = figures as MatterResult['official']
      else entry.nonVotersFollowMajority = figures as MatterResult['nonVotersFollowMajority']
      byMatter.set(r.matterId, entry)
    }
    return [...byMatter.values()]
  }

  /** Owner entries the person may vote for: as a verified owner/co-owner of one of its units, or as proxy. */
  async function entriesOf(tx: DbOrTx, voteId: number, personId: number): Promise<Map<string, 'owner' | 'proxy'>> {
    const [own, person] = await Promise.all([
      tx
        .selectDistinct({ ownerKey: voteRollUnits.ownerKey })
        .from(voteRollUnits)
        .innerJoin(memberships, eq(memberships.unitId, voteRollUnits.unitId))
        .where(
          and(
            eq(voteRollUnits.voteId, voteId),
            eq(memberships.personId, personId),
            eq(memberships.state, 'verified'),
            inArray(memberships.relation, OWNER_RELATIONS),
          ),
        ),
      tx.select({ phoneHash: persons.phoneHash }).from(persons).where(eq(persons.id, personId)),
    ])
    const result = new Map<string, 'owner' | 'proxy'>(own.map((o) => [o.ownerKey, 'owner']))
    const phoneHash = person[0]?.phoneHash
    if (phoneHash) {
      const proxied = await tx
        .select({ ownerKey: voteProxies.ownerKey })
        .from(voteProxies)
        .where(
          and(
            eq(voteProxies.voteId, voteId),
            eq(voteProxies.proxyPhoneHash, phoneHash),
            ne(voteProxies.state, 'revoked'),
          ),
        )
      for (const p of proxied) if (!result.has(p.ownerKey)) result.set(p.ownerKey, 'proxy')
    }
    return result
  }

  async function rollEntries(voteId: number, ownerKeys?: string[]) {
    if (ownerKeys && ownerKeys.length === 0) return []
    const [entries, unitRows] = await Promise.all([
      db
        .select()
        .from(voteRollEntries)
        .where(
          and(eq(voteRollEntries.voteId, voteId), ownerKeys ? inArray(voteRollEntries.ownerKey, ownerKeys) : undefined),
        ),
      db
        .select()
        .from(voteRollUnits)
        .where(
          and(eq(voteRollUnits.voteId, voteId), ownerKeys ? inArray(voteRollUnits.ownerKey, ownerKeys) : undefined),
        )
        .orderBy(asc(voteRollUnits.label)),
    ])
    const unitsOf = new Map<string, (typeof unitRows)[number][]>()
    for (const u of unitRows) unitsOf.set(u.ownerKey, [...(unitsOf.get(u.ownerKey) ?? []), u])
    return entries.map((e) => ({
      ownerKey: e.ownerKey,
      isDeveloper: e.isDeveloper,
      holders: parseJson(e.holdersMasked),
      areaCenti: Number(e.areaCenti),
      units: (unitsOf.get(e.ownerKey) ?? []).map((u) => ({
        unitId: u.unitId,
        label: u.label,
        kind: u.kind,
        areaCenti: u.areaCenti,
        areaSource: u.areaSource,
      })),
    }))
  }

  function toProxy(
    p: typeof voteProxies.$inferSelect,
    used: boolean,
    rooms: string[],
    grantorName: string,
    authorization: PhotoRow[],
  ): VoteProxy {
    return {
      id: p.id,
      voteId: p.voteId,
      ownerKey: p.ownerKey,
      rooms,
      grantorName,
      proxyName: p.proxyName,
      proxyPhoneMasked: maskPhone(protector.decrypt(p.proxyPhoneEnc)),
      authorizationText: p.authorizationText,
      authorizationPhotos: authorization.map(photos.toPhoto),
      state: p.state === 'active' && used ? 'used' : p.state,
      createdAt: p.createdAt.toISOString(),
      revokedAt: iso(p.revokedAt),
      revokeReason: p.revokeReason,
    }
  }

  async function listProxies(voteId: number, where = eq(voteProxies.voteId, voteId)): Promise<VoteProxy[]> {
    const rows = await db
      .select({
        p: voteProxies,
        grantorName: persons.displayName,
        used: sql<number | string>`EXISTS (SELECT 1 FROM vote_ballots b WHERE b.proxy_id = ${voteProxies.id})`,
      })
      .from(voteProxies)
      .innerJoin(persons, eq(persons.id, voteProxies.grantorPersonId))
      .where(and(eq(voteProxies.voteId, voteId), where))
      .orderBy(asc(voteProxies.id))
    const [rooms, authorization] = await Promise.all([
      roomsOf(voteId, [...new Set(rows.map((r) => r.p.ownerKey))]),
      photos.ofMany(
        db,
        'proxyId',
        rows.map((r) => r.p.id),
      ),
    ])
    return rows.map((r) =>
      toProxy(r.p, Number(r.used) === 1, rooms.get(r.p.ownerKey) ?? [], r.grantorName, authorization.get(r.p.id) ?? []),
    )
  }

  async function roomsOf(voteId: number, ownerKeys: string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>()
    if (ownerKeys.length === 0) return map
    const rows = await db
      .select({ ownerKey: voteRollUnits.ownerKey, label: voteRollUnits.label })
      .from(voteRollUnits)
      .where(and(eq(voteRollUnits.voteId, voteId), inArray(voteRollUnits.ownerKey, ownerKeys)))
      .orderBy(asc(voteRollUnits.label))
    for (const r of rows) map.set(r.ownerKey, [...(map.get(r.ownerKey) ?? []), r.label])
    return map
  }

  /** A ballot's choices if the vote's visibility rule (frozen at publish) shows them to this viewer, else null. */
  function choicesFor(
    vote: VoteRow,
    viewer: Map<string, 'owner' | 'proxy'>,
    ownerKey: string,
    choices: PublicBallot['choices'],
  ): PublicBallot['choices'] {
    const ownerOnRoll = [...viewer.values()].includes('owner')
    return maySeeChoices(vote.choicesVisibleTo, { ownerOnRoll, votesForBallot: viewer.has(ownerKey) }) ? choices : null
  }

  async function publicBallots(
    vote: VoteRow,
    where?: ReturnType<typeof eq>,
  ): Promise<(PublicBallot & { counted: boolean; ownerKey: string })[]> {
    const rows = await db
      .select({
        b: voteBallots,
        counted: sql<number | string>`${isHeadBallot}`,
        holders: voteRollEntries.holdersMasked,
      })
      .from(voteBallots)
      .innerJoin(
        voteRollEntries,
        and(eq(voteRollEntries.voteId, voteBallots.voteId), eq(voteRollEntries.ownerKey, voteBallots.ownerKey)),
      )
      .where(and(eq(voteBallots.voteId, vote.id), where))
      .orderBy(asc(voteBallots.receipt))
    const rooms = await roomsOf(vote.id, [...new Set(rows.map((r) => r.b.ownerKey))])
    return rows.map((r) => ({
      ownerKey: r.b.ownerKey,
      receipt: r.b.receipt,
      rooms: rooms.get(r.b.ownerKey) ?? [],
      holdersMasked: parseJson(r.holders),
      viaProxy: r.b.proxyId !== null,
      choices: parseJson(r.b.choices),
      counted: Number(r.counted) === 1,
    }))
  }

  return {
    async list(communityId: number, includeDrafts: boolean): Promise<VoteSummary[]> {
      const rows = await db
        .select()
        .from(votes)
        .where(and(eq(votes.communityId, communityId), includeDrafts ? undefined : ne(votes.state, 'draft')))
        .orderBy(sql`${votes.opensAt} DESC`)
      // counted by a grouped query of its own: a correlated subquery in a one-table select loses its qualifiers
      // (drizzle writes `vote_id = id`, which then compares vote_matters with itself)
      const counts = rows.length
        ? await db
            .select({ voteId: voteMatters.voteId, n: sql<number>`COUNT(*)` })
            .from(voteMatters)
            .where(
              inArray(
                voteMatters.voteId,
                rows.map((v) => v.id),
              ),
            )
            .groupBy(voteMatters.voteId)
        : []
      const matterCount = new Map(counts.map((c) => [c.voteId, Number(c.n)]))
      return rows.map((v) => ({
        id: v.id,
        communityId: v.communityId,
        title: v.title,
        state: v.state,
        announcedAt: v.announcedAt.toISOString(),
        opensAt: v.opensAt.toISOString(),
        closesAt: v.closesAt.toISOString(),
        matterCount: matterCount.get(v.id) ?? 0,
        earlyCloseAllowed: v.earlyCloseAllowed,
        lastRemindedAt: iso(v.lastRemindedAt),
      }))
    },

    async get(communityId: number, voteId: number, includeDrafts: boolean): Promise<VoteDetail> {
      return detail(await getVote(communityId, voteId, { includeDrafts }))
    },

    async createDraft(actorId: number, communityId: number, body: CreateVoteBody): Promise<VoteDetail> {
      const window = validateWindow(body)
      const voteId = await db.transaction(async (tx) => {
        const [res] = await tx
          .insert(votes)
          .values({
            communityId,
            title: body.title.trim(),
            noticeText: body.noticeText,
            ...window,
            hideResultsUntilClose: body.hideResultsUntilClose ?? true,
            createdBy: actorId,
          })
          .$returningId()
        await writeMatters(tx, res!.id, body.matters)
        await appendAudit(tx, {
          stream: voteStream(res!.id),
          action: 'vote.drafted',
          actorPersonId: actorId,
          subjectType: 'vote',
          subjectId: res!.id,
          data: { title: body.title },
        })
        return res!.id
      })
      return this.get(communityId, voteId, true)
    },

    async updateDraft(actorId: number, communityId: number, voteId: number, body: CreateVoteBody): Promise<VoteDetail> {
      const window = validateWindow(body)
      await db.transaction(async (tx) => {
        const vote = await lockVote(tx, communityId, voteId)
        assertAllowed(vote, 'edit')
        await tx
          .update(votes)
          .set({
            title: body.title.trim(),
            noticeText: body.noticeText,
            ...window,
            hideResultsUntilClose: body.hideResultsUntilClose ?? true,
          })
          .where(eq(votes.id, voteId))
        await writeMatters(tx, voteId, body.matters)
        await appendAudit(tx, {
          stream: voteStream(voteId),
          action: 'vote.edited',
          actorPersonId: actorId,
          subjectType: 'vote',
          subjectId: voteId,
          data: {},
        })
      })
      return this.get(communityId, voteId, true)
    },

    /**
     * Freezes the items and the roll (with the community's rules as they are now) and publishes their fingerprints.
     * A notice shorter than the law's 15 days is published only with the committee's confirmation and reason,
     * which the log keeps and voters are shown.
     */
    async publish(
      actorId: number,
      communityId: number,
      voteId: number,
      body: PublishVoteBody | null = null,
    ): Promise<VoteDetail> {
      await db.transaction(async (tx) => {
        const vote = await lockVote(tx, communityId, voteId)
        assertAllowed(vote, 'publish')
        const notice = noticePeriod(vote.announcedAt, vote.opensAt)
        const confirmed = body?.shortNotice
        if (notice.short && !confirmed) {
          throw new AppError(
            'SHORT_NOTICE_UNCONFIRMED',
            `the notice is ${notice.days} days, ${notice.shortByDays} short of the ${MIN_NOTICE_DAYS} days the law asks (${NOTICE_LAW}): confirm with a reason`,
            {
              noticeDays: notice.days,
              shortByDays: notice.shortByDays,
              minimumDays: MIN_NOTICE_DAYS,
            },
          )
        }
        // the confirmation covers the notice the committee saw: a draft edited meanwhile must be confirmed again
        if (notice.short && confirmed!.noticeDays !== notice.days) {
          throw new AppError(
            'SHORT_NOTICE_UNCONFIRMED',
            `the confirmation was for ${confirmed!.noticeDays} days of notice; the vote now has ${notice.days}`,
            {
              noticeDays: notice.days,
              shortByDays: notice.shortByDays,
              minimumDays: MIN_NOTICE_DAYS,
            },
          )
        }
        const shortNoticeReason = notice.short ? confirmed!.reason.trim() : null
        if (shortNoticeReason !== null && shortNoticeReason.length < 4) {
          throw new AppError('VALIDATION_FAILED', 'body.shortNotice.reason: give the reason for the short notice', [
            { field: 'body.shortNotice.reason', message: 'too short' },
          ])
        }
        const [community] = await tx.select().from(communities).where(eq(communities.id, communityId))
        const settings = parseJson(community!.settings)
        const unitRows = await tx
          .select({
            unitId: units.id,
            building: buildings.name,
            number: units.number,
            kind: units.kind,
            areaCenti: units.areaCenti,
            areaSource: units.areaSource,
            developerHeld: units.developerHeld,
          })
          .from(units)
          .innerJoin(buildings, eq(buildings.id, units.buildingId))
          .where(eq(units.communityId, communityId))
        const owners = await tx
          .select({ unitId: rosterOwners.unitId, name: rosterOwners.name, phoneHash: rosterOwners.phoneHash })
          .from(rosterOwners)
          .where(eq(rosterOwners.communityId, communityId))
          .orderBy(asc(rosterOwners.position))
        const ownersOf = new Map<number, { name: string; phoneHash: string | null }[]>()
        for (const o of owners)
          ownersOf.set(o.unitId, [...(ownersOf.get(o.unitId) ?? []), { name: o.name, phoneHash: o.phoneHash }])
        const parkingCounts = settings.parkingCountsForVoting ?? false
        const roll = computeRoll(
          unitRows.map((u) => ({ ...u, label: `${u.building} ${u.number}`, owners: ownersOf.get(u.unitId) ?? [] })),
          { parkingCounts },
        )
        if (roll.totalOwners === 0)
          throw new AppError('CONFLICT', 'the community has no units on its roster: import the roster first')
        for (let i = 0; i < roll.entries.length; i += 1000) {
          const chunk = roll.entries.slice(i, i + 1000)
          await tx.insert(voteRollEntries).values(
            chunk.map((e) => ({
              voteId,
              ownerKey: e.ownerKey,
              isDeveloper: e.isDeveloper,
              holdersMasked: e.holdersMasked,
              areaCenti: e.areaCenti,
            })),
          )
          await tx
            .insert(voteRollUnits)
            .values(chunk.flatMap((e) => e.units.map((u) => ({ voteId, ownerKey: e.ownerKey, ...u }))))
        }
        // only what a reader of the notice sees (no database ids), so anyone can recompute it from the notice
        const matters = await tx
          .select({ position: voteMatters.position, category: voteMatters.category, text: voteMatters.text })
          .from(voteMatters)
          .where(eq(voteMatters.voteId, voteId))
        const items = itemsFingerprint({ ...vote, matters })
        const publishedAt = new Date()
        const rules = {
          parkingCounts,
          allowChange: settings.ballotChangeAllowed ?? false,
          nonVotersFollowMajority: settings.nonVotersFollowMajority ?? false,
          earlyCloseAllowed: settings.earlyCloseAllowed ?? false,
          choicesVisibleTo: choiceVisibilityOf(settings.ballotChoicesVisibleTo),
        }
        await tx
          .update(votes)
          .set({
            state: 'published',
            publishedAt,
            rollFingerprint: roll.fingerprint,
            itemsFingerprint: items,
            totalArea: roll.totalArea,
            totalOwners: roll.totalOwners,
            shortNoticeReason,
            ...rules,
          })
          .where(eq(votes.id, voteId))
        await scheduler.schedule(tx, {
          kind: OPEN_JOB,
          key: jobKey(OPEN_JOB, voteId),
          runAt: vote.opensAt,
          payload: { voteId },
        })
        await scheduler.schedule(tx, {
          kind: CLOSE_JOB,
          key: jobKey(CLOSE_JOB, voteId),
          runAt: vote.closesAt,
          payload: { voteId },
        })
        await scheduler.schedule(tx, {
          kind: REMIND_JOB,
          key: jobKey(REMIND_JOB, voteId),
          runAt: reminderTime(vote),
          payload: { voteId },
        })
        await appendAudit(tx, {
          stream: voteStream(voteId),
          action: 'vote.published',
          actorPersonId: actorId,
          subjectType: 'vote',
          subjectId: voteId,
          data: {
            rollFingerprint: roll.fingerprint,
            itemsFingerprint: items,
            totalArea: roll.totalArea,
            totalOwners: roll.totalOwners,
            parkingCounts,
            rules,
            notice: {
              announcedAt: vote.announcedAt.toISOString(),
              opensAt: vote.opensAt.toISOString(),
              days: notice.days,
              minimumDays: MIN_NOTICE_DAYS,
              // the committee's explicit confirmation of a shorter notice than the law's, with its reason
              shortNotice:
                shortNoticeReason === null
                  ? null
                  : { confirmed: true, law: NOTICE_LAW, shortByDays: notice.shortByDays, reason: shortNoticeReason },
            },
          },
        })
      })
      return this.get(communityId, voteId, true)
    },

    async cancel(actorId: number, communityId: number, voteId: number, reason: string): Promise<VoteDetail> {
      await db.transaction(async (tx) => {
        const vote = await lockVote(tx, communityId, voteId)
        assertAllowed(vote, 'cancel')
        await tx.update(votes).set({ state: 'cancelled' }).where(eq(votes.id, voteId))
        await scheduler.cancel(tx, jobKey(OPEN_JOB, voteId))
        await scheduler.cancel(tx, jobKey(CLOSE_JOB, voteId))
        await scheduler.cancel(tx, jobKey(REMIND_JOB, voteId))
        await appendAudit(tx, {
          stream: voteStream(voteId),
          action: 'vote.cancelled',
          actorPersonId: actorId,
          subjectType: 'vote',
          subjectId: voteId,
          data: { reason },
        })
      })
      return this.get(communityId, voteId, true)
    },

    /** The committee extends an open (or not yet open) vote; the reason is announced with the vote. */
    async extend(actorId: number, communityId: number, voteId: number, body: ExtendVoteBody): Promise<VoteDetail> {
      await db.transaction(async (tx) => {
        const vote = await lockVote(tx, communityId, voteId)
        assertAllowed(vote, 'extend')
        const to = new Date(body.closesAt)
        if (to <= vote.closesAt)
          throw new AppError('VALIDATION_FAILED', 'body.closesAt: an extension must end later than the current end', [
            { field: 'body.closesAt', message: 'not later than the current end' },
          ])
        await tx
          .insert(voteExtensions)
          .values({ voteId, fromAt: vote.closesAt, toAt: to, reason: body.reason.trim(), byPersonId: actorId })
        await tx.update(votes).set({ closesAt: to }).where(eq(votes.id, voteId))
        await scheduler.schedule(tx, {
          kind: CLOSE_JOB,
          key: jobKey(CLOSE_JOB, voteId),
          runAt: to,
          payload: { voteId },
        })
        await scheduler.schedule(tx, {
          kind: REMIND_JOB,
          key: jobKey(REMIND_JOB, voteId),
          runAt: reminderTime({ opensAt: vote.opensAt, closesAt: to }),
          payload: { voteId },
        })
        await appendAudit(tx, {
          stream: voteStream(voteId),
          action: 'vote.extended',
          actorPersonId: actorId,
          subjectType: 'vote',
          subjectId: voteId,
          data: { from: vote.closesAt.toISOString(), to: to.toISOString(), reason: body.reason.trim() },
        })
      })
      return this.get(communityId, voteId, true)
    },

    /** Only where the community's rules, frozen into the vote at publish, let the committee close early. */
    async closeEarly(actorId: number, communityId: number, voteId: number): Promise<VoteDetail> {
      await db.transaction(async (tx) => {
        const vote = await lockVote(tx, communityId, voteId)
        assertAllowed(vote, 'close')
        await closeAndTally(tx, vote, actorId, 'early')
        await scheduler.cancel(tx, jobKey(CLOSE_JOB, voteId))
      })
      return this.get(communityId, voteId, true)
    },

    async announce(actorId: number, communityId: number, voteId: number): Promise<VoteDetail> {
      await db.transaction(async (tx) => {
        const vote = await lockVote(tx, communityId, voteId)
        assertAllowed(vote, 'announce')
        await tx.update(votes).set({ state: 'announced', resultsAnnouncedAt: new Date() }).where(eq(votes.id, voteId))
        await appendAudit(tx, {
          stream: voteStream(voteId),
          action: 'vote.announced',
          actorPersonId: actorId,
          subjectType: 'vote',
          subjectId: voteId,
          data: {},
        })
        const owners = await tx
          .selectDistinct({ personId: memberships.personId })
          .from(voteRollUnits)
          .innerJoin(
            memberships,
            and(
              eq(memberships.unitId, voteRollUnits.unitId),
              eq(memberships.state, 'verified'),
              inArray(memberships.relation, OWNER_RELATIONS),
            ),
          )
          .where(eq(voteRollUnits.voteId, voteId))
        for (const { personId } of owners) {
          await notifier.notify(tx, {
            personId,
            template: 'vote_result',
            page: messagePages.voteResults(communityId, voteId),
            data: { thing1: vote.title, phrase2: '结果已公示' },
            dedupeKey: `vote:${voteId}:result`,
          })
        }
      })
      return this.get(communityId, voteId, true)
    },

    async roll(communityId: number, voteId: number): Promise<RollSummary> {
      const vote = await getVote(communityId, voteId, { includeDrafts: true })
      if (!vote.rollFingerprint) throw new AppError('CONFLICT', 'the roll is frozen when the vote is published')
      const entries = await rollEntries(voteId)
      entries.sort((a, b) =>
        (a.units[0]?.label ?? '').localeCompare(b.units[0]?.label ?? '', 'zh-CN', { numeric: true }),
      )
      return {
        totalArea: Number(vote.totalArea),
        totalOwners: vote.totalOwners ?? 0,
        fingerprint: vote.rollFingerprint,
        entries,
      }
    },

    async myEntries(personId: number, communityId: number, voteId: number): Promise<MyEntry[]> {
      const vote = await getVote(communityId, voteId, { includeDrafts: false })
      if (!vote.rollFingerprint) return []
      const mine = await entriesOf(db, voteId, personId)
      const entries = await rollEntries(voteId, [...mine.keys()])
      const ballots = entries.length
        ? await db
            .select()
            .from(voteBallots)
            .where(
              and(
                eq(voteBallots.voteId, voteId),
                inArray(
                  voteBallots.ownerKey,
                  entries.map((e) => e.ownerKey),
                ),
                isHeadBallot,
              ),
            )
        : []
      const proxies = await listProxies(
        voteId,
        and(
          inArray(voteProxies.ownerKey, entries.length ? entries.map((e) => e.ownerKey) : ['']),
          ne(voteProxies.state, 'revoked'),
        )!,
      )
      return entries.map((entry) => {
        const ballot = ballots.find((b) => b.ownerKey === entry.ownerKey)
        const proxy = proxies.find((p) => p.ownerKey === entry.ownerKey)
        return {
          entry,
          weight: {
            areaShare: basisPoints(entry.areaCenti, Number(vote.totalArea)),
            ownerShare: basisPoints(1, vote.totalOwners ?? 0),
          },
          via: mine.get(entry.ownerKey)!,
          ballot: ballot
            ? {
                receipt: ballot.receipt,
                revision: ballot.revision,
                castAt: ballot.createdAt.toISOString(),
                castByMe: ballot.castByPersonId === personId,
              }
            : null,
          proxy: proxy ? { id: proxy.id, proxyName: proxy.proxyName, state: proxy.state } : null,
        }
      })
    },

    /**
     * One ballot per owner entry, taken by one statement (ballots.ts: why it is exactly once). A retry with the
     * same Idempotency-Key gets the first answer, also after the close. Where the rules allow changes, a later
     * ballot takes the next revision while the roll entry is locked, and the latest one counts.
     */
    async cast(
      personId: number,
      communityId: number,
      voteId: number,
      body: CastBallotBody,
      idempotencyKey: string,
    ): Promise<{ receipt: BallotReceipt; replay: boolean }> {
      const matterIds = await mattersOf(db, communityId, voteId)
      const choices = sortChoices(body.choices)
      const given = new Set(choices.map((c) => c.matterId))
      if (given.size !== choices.length || given.size !== matterIds.length || !matterIds.every((id) => given.has(id))) {
        throw new AppError('VALIDATION_FAILED', 'body.choices: exactly one choice for every matter of this vote', [
          { field: 'body.choices', message: 'one choice per matter' },
        ])
      }
      const findReplay = async () => {
        const [prior] = await db
          .select()
          .from(voteBallots)
          .where(
            and(
              eq(voteBallots.voteId, voteId),
              eq(voteBallots.castByPersonId, personId),
              eq(voteBallots.idempotencyKey, idempotencyKey),
            ),
          )
        if (!prior) return null
        if (
          prior.ownerKey !== body.ownerKey ||
          canonicalJson(sortChoices(parseJson(prior.choices))) !== canonicalJson(choices)
        ) {
          throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different ballot')
        }
        return { receipt: toReceipt(prior), replay: true }
      }

      // most callers are owners voting for the first time: one statement, shared with the ballots arriving at the
      // same moment (ballotGroups); anything else is found out after
      const units = await unitsOfEntry(pool, voteId, body.ownerKey)
      let attempt: BallotAttempt = {
        communityId,
        voteId,
        ownerKey: body.ownerKey,
        personId,
        choices,
        idempotencyKey,
        revision: 1,
        via: 'owner',
        units,
      }
      for (let round = 0; ; round++) {
        let row: CastRow | null
        let tried = attempt
        try {
          row = await ballots.insert(attempt)
        } catch (err) {
          const dup = duplicateOf(err)
          if (!dup) throw err
          // a twin of this request (same key) or an earlier ballot of this owner committed first
          const replay = await findReplay()
          if (replay) return replay
          if (dup !== 'revision') throw err
          ;({ row, tried } = await castChange(attempt))
        }
        if (row) {
          chainer.soon(voteId)
          return {
            receipt: {
              voteId,
              ownerKey: row.ownerKey,
              receipt: row.receipt,
              revision: row.revision,
              castAt: row.createdAt.toISOString(),
              viaProxy: attempt.via === 'proxy',
            },
            replay: false,
          }
        }
        const replay = await findReplay()
        if (replay) return replay
        const via = await whyRefused(tried)
        // the conditions hold now although they did not a moment ago (a proxy granted or revoked in between)
        if (round >= 2)
          throw new AppError('CONFLICT', 'the vote changed while the ballot was being cast; please try again')
        attempt = { ...attempt, via }
      }
    },

    /** After the close: rooms and receipts for everyone who may see the vote; choices as the vote's rules say. */
    async publicBallots(personId: number, communityId: number, voteId: number): Promise<PublicBallot[]> {
      const vote = await getVote(communityId, voteId, { includeDrafts: false })
      if (vote.state !== 'closed' && vote.state !== 'announced')
        throw new AppError('VOTE_NOT_OPEN', 'the list of ballots is public after the vote closes')
      const [ballots, viewer] = await Promise.all([publicBallots(vote), entriesOf(db, voteId, personId)])
      return ballots
        .filter((b) => b.counted)
        .map(({ counted: _c, ownerKey, ...b }) => ({ ...b, choices: choicesFor(vote, viewer, ownerKey, b.choices) }))
    },

    async checkReceipt(personId: number, communityId: number, voteId: number, typed: string): Promise<ReceiptCheck> {
      const code = checkReceiptCode(typed)
      if (!code.ok) throw new AppError('RECEIPT_MALFORMED', code.message, { problem: code.problem })
      const vote = await getVote(communityId, voteId, { includeDrafts: false })
      const [[found], viewer] = await Promise.all([
        publicBallots(vote, eq(voteBallots.receipt, code.code)),
        entriesOf(db, voteId, personId),
      ])
      if (!found) return { found: false, counted: false, ballot: null }
      const closed = vote.state === 'closed' || vote.state === 'announced'
      // before close, a ballot is only shown to whoever may vote for that owner
      if (!closed && !viewer.has(found.ownerKey)) return { found: false, counted: false, ballot: null }
      const { counted, ownerKey, ...ballot } = found
      return {
        found: true,
        counted,
        ballot: { ...ballot, choices: choicesFor(vote, viewer, ownerKey, ballot.choices) },
      }
    },

    /** An owner authorises a proxy (委托) for this vote with a written authorisation. */
    async grantProxy(personId: number, communityId: number, voteId: number, body: GrantProxyBody): Promise<VoteProxy> {
      const text = body.authorizationText?.trim() || null
      const photoIds = body.authorizationPhotoIds ?? []
      if (!text && photoIds.length === 0) {
        throw new AppError(
          'VALIDATION_FAILED',
          'body.authorizationText: give the written authorisation, typed or as photos of the signed paper',
          [{ field: 'body.authorizationText', message: 'text or photos required' }],
        )
      }
      const id = await db.transaction(async (tx) => {
        const vote = await lockVoteShared(tx, communityId, voteId)
        if (vote.state !== 'published' && vote.state !== 'open')
          throw new AppError('VOTE_NOT_OPEN', 'proxies are granted before the vote closes')
        if ((await entriesOf(tx, voteId, personId)).get(body.ownerKey) !== 'owner')
          throw new AppError('FORBIDDEN', 'only an owner of this entry may appoint a proxy')
        // the entry's row lock waits for a ballot in flight for it, and the read after it sees that ballot
        await tx
          .select({ ownerKey: voteRollEntries.ownerKey })
          .from(voteRollEntries)
          .where(and(eq(voteRollEntries.voteId, voteId), eq(voteRollEntries.ownerKey, body.ownerKey)))
          .for('update')
        const [voted] = await tx
          .select({ id: voteBallots.id })
          .from(voteBallots)
          .where(and(eq(voteBallots.voteId, voteId), eq(voteBallots.ownerKey, body.ownerKey)))
          .limit(1)
        if (voted) throw new AppError('BALLOT_ALREADY_CAST', 'this owner has already voted')
        const [existing] = await tx
          .select()
          .from(voteProxies)
          .where(
            and(
              eq(voteProxies.voteId, voteId),
              eq(voteProxies.ownerKey, body.ownerKey),
              ne(voteProxies.state, 'revoked'),
            ),
          )
        if (existing) throw new AppError('CONFLICT', 'a proxy is already appointed for this owner; withdraw it first')
        const [res] = await tx
          .insert(voteProxies)
          .values({
            voteId,
            ownerKey: body.ownerKey,
            grantorPersonId: personId,
            proxyName: body.proxyName.trim(),
            proxyPhoneEnc: protector.encrypt(body.proxyPhone),
            proxyPhoneHash: protector.blindIndex(body.proxyPhone),
            authorizationText: text,
          })
          .$returningId()
        const attached = await photos.attach(
          tx,
          { personId, communityId, field: 'body.authorizationPhotoIds' },
          photoIds,
          { proxyId: res!.id },
        )
        await tx
          .update(voteRollEntries)
          .set({ proxyId: res!.id })
          .where(and(eq(voteRollEntries.voteId, voteId), eq(voteRollEntries.ownerKey, body.ownerKey)))
        // the log holds the authorisation's fingerprints: text and photos can be shown later to be the ones given
        const data = {
          ownerKey: body.ownerKey,
          authorizationHash: text ? sha256Hex(text) : null,
          authorizationPhotoHashes: attached.map((p) => p.sha256),
        }
        await appendAudit(tx, {
          stream: voteStream(voteId),
          action: 'proxy.granted',
          actorPersonId: personId,
          subjectType: 'proxy',
          subjectId: res!.id,
          data,
        })
        return res!.id
      }, READ_COMMITTED)
      return (await listProxies(voteId, eq(voteProxies.id, id)))[0]!
    },

    /** The grantor withdraws, or the committee revokes, a proxy that has not voted yet. */
    async revokeProxy(
      actor: { personId: number; asCommittee: boolean },
      communityId: number,
      voteId: number,
      proxyId: number,
      reason: string,
    ): Promise<VoteProxy> {
      await db.transaction(async (tx) => {
        // the same window for the owner's withdrawal as for the committee's revocation
        assertAllowed(await getVote(communityId, voteId, { includeDrafts: false }), 'revokeProxy')
        const [found] = await tx
          .select({ ownerKey: voteProxies.ownerKey })
          .from(voteProxies)
          .where(and(eq(voteProxies.id, proxyId), eq(voteProxies.voteId, voteId)))
        if (!found) throw notFound('proxy')
        // the entry first, then the proxy: the order in which a ballot locks them
        await tx
          .select({ ownerKey: voteRollEntries.ownerKey })
          .from(voteRollEntries)
          .where(and(eq(voteRollEntries.voteId, voteId), eq(voteRollEntries.ownerKey, found.ownerKey)))
          .for('update')
        const [p] = await tx.select().from(voteProxies).where(eq(voteProxies.id, proxyId)).for('update')
        if (!p || (!actor.asCommittee && p.grantorPersonId !== actor.personId)) throw notFound('proxy')
        if (p.state !== 'active')
          throw new AppError('INVALID_TRANSITION', `the proxy is ${p.state}`, { state: p.state })
        // a ballot through this proxy holds a shared lock on it until it commits, so this read sees it
        const [used] = await tx
          .select({ id: voteBallots.id })
          .from(voteBallots)
          .where(eq(voteBallots.proxyId, proxyId))
          .limit(1)
        if (used) throw new AppError('INVALID_TRANSITION', 'the proxy has already voted', { state: 'used' })
        await tx
          .update(voteProxies)
          .set({ state: 'revoked', revokedAt: new Date(), revokedBy: actor.personId, revokeReason: reason })
          .where(eq(voteProxies.id, proxyId))
        await tx
          .update(voteRollEntries)
          .set({ proxyId: null })
          .where(
            and(
              eq(voteRollEntries.voteId, voteId),
              eq(voteRollEntries.ownerKey, p.ownerKey),
              eq(voteRollEntries.proxyId, proxyId),
            ),
          )
        await appendAudit(tx, {
          stream: voteStream(voteId),
          action: 'proxy.revoked',
          actorPersonId: actor.personId,
          subjectType: 'proxy',
          subjectId: proxyId,
          data: { reason, by: actor.asCommittee ? 'committee' : 'grantor' },
        })
      }, READ_COMMITTED)
      return (await listProxies(voteId, eq(voteProxies.id, proxyId)))[0]!
    },

    listProxies: (voteId: number) => listProxies(voteId),

    /** The committee reminds owners who have not voted yet; at most one round a day (China time). */
    async remind(actorId: number, communityId: number, voteId: number): Promise<{ reminded: number }> {
      return db.transaction(async (tx) => {
        const vote = await lockVote(tx, communityId, voteId)
        assertAllowed(vote, 'remind')
        const now = new Date()
        const round = reminderRound(now)
        // one round a day: asking again the same day is accepted, and the dedupe key sends nobody a second message
        if (vote.lastRemindedAt === null || reminderRound(vote.lastRemindedAt) !== round)
          await tx.update(votes).set({ lastRemindedAt: now }).where(eq(votes.id, voteId))
        const reminded = await remindNonVoters(tx, notifier, vote, `manual:${round}`)
        await appendAudit(tx, {
          stream: voteStream(voteId),
          action: 'vote.reminded',
          actorPersonId: actorId,
          subjectType: 'vote',
          subjectId: voteId,
          data: { reminded },
        })
        return { reminded }
      })
    },

    /** A proxy need not live in the community: holding a live proxy for this vote lets one see it and vote. */
    async isProxyFor(personId: number, communityId: number, voteId: number): Promise<boolean> {
      const [row] = await db
        .select({ id: voteProxies.id })
        .from(voteProxies)
        .innerJoin(persons, eq(persons.phoneHash, voteProxies.proxyPhoneHash))
        .innerJoin(votes, eq(votes.id, voteProxies.voteId))
        .where(
          and(
            eq(voteProxies.voteId, voteId),
            eq(votes.communityId, communityId),
            eq(persons.id, personId),
            ne(voteProxies.state, 'revoked'),
          ),
        )
        .limit(1)
      return Boolean(row)
    },
    getVote,
  }
}

function sortChoices(choices: { matterId: number; choice: Choice }[]) {
  return [...choices].sort((a, b) => a.matterId - b.matterId).map((c) => ({ matterId: c.matterId, choice: c.choice }))
}

function toReceipt(b: typeof voteBallots.$inferSelect): BallotReceipt {
  return {
    voteId: b.voteId,
    ownerKey: b.ownerKey,
    receipt: b.receipt,
    revision: b.revision,
    castAt: b.createdAt.toISOString(),
    viaProxy: b.proxyId !== null,
  }
}

/** The scheduler's timers for votes: opening and closing fire once across instances. */
export function registerVoteJobs(app: Deps) {
  const notifier = notificationService(app)
  app.scheduler.handle(REMIND_JOB, async (payload, tx) => {
    const [vote] = await tx
      .select()
      .from(votes)
      .where(eq(votes.id, Number(payload.voteId)))
    if (vote?.state !== 'open') return
    await remindNonVoters(tx, notifier, vote, 'auto')
  })
  app.scheduler.handle(OPEN_JOB, async (payload, tx) => {
    const [vote] = await tx
      .select()
      .from(votes)
      .where(eq(votes.id, Number(payload.voteId)))
      .for('update')
    if (vote?.state !== 'published') return
    const openedAt = new Date()
    await tx.update(votes).set({ state: 'open', openedAt }).where(eq(votes.id, vote.id))
    await appendAudit(tx, {
      stream: voteStream(vote.id),
      action: 'vote.opened',
      actorPersonId: null,
      subjectType: 'vote',
      subjectId: vote.id,
      data: { openedAt: openedAt.toISOString() },
    })
  })
  app.scheduler.handle(CHAIN_JOB, async (payload, tx) => {
    await chainBallots(tx, Number(payload.voteId), voteStream(Number(payload.voteId)))
  })
  app.scheduler.handle(CLOSE_JOB, async (payload, tx) => {
    const [vote] = await tx
      .select()
      .from(votes)
      .where(eq(votes.id, Number(payload.voteId)))
      .for('update')
    if (vote?.state !== 'open') return
    if (vote.closesAt.getTime() > Date.now()) return // extended after this timer was read: the moved timer will fire
    await closeAndTally(tx, vote, null, 'scheduled')
  })
}

export type VotingService = ReturnType<typeof votingService>
export type { Db }
