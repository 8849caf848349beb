import { and, desc, eq, gt, inArray, isNull, lt, lte, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { isOwnerRelation, RELATIONS } from '@linli/shared/households/rules'
import { SR_OPEN_STATUSES } from '@linli/shared/service-requests/rules'
import type { InboxPage, InboxQuery, Todo, UnreadCount } from '@linli/shared/schemas'
import type { NotificationTemplate } from '@linli/shared/notifications'
import {
  communityRoles,
  inboxMessages,
  memberships,
  persons,
  serviceRequests,
  voteBallots,
  voteProxies,
  voteRollEntries,
  voteRollUnits,
  votes,
} from '../../db/schema'
import type { DbOrTx } from '../../db/client'
import { notFound } from '../../errors'
import { countPendingApplications } from '../households'

/**
 * 消息 and 待办. The inbox is what the notification adapter wrote for the person (modules/notifications); what
 * waits for them is computed from the records themselves, so it is right even for a message never sent.
 * Every query is keyed by the caller's own person id: nobody reads another's inbox.
 */
type Deps = Pick<FastifyInstance, 'db'>

/** How long a message is kept (README: 消息 retention). Votes and requests keep their own records. */
export const INBOX_RETENTION_DAYS = 180
export const PRUNE_JOB = 'inbox.prune'
const PRUNE_BATCH = 10_000
const DAY = 86_400_000

const OWNER_RELATIONS = RELATIONS.filter(isOwnerRelation)
const OPEN = [...SR_OPEN_STATUSES]

type Row = typeof inboxMessages.$inferSelect
const toMessage = (r: Row) => ({
  id: r.id,
  template: r.template as NotificationTemplate,
  title: r.title,
  body: r.body,
  page: r.page,
  createdAt: r.createdAt.toISOString(),
  readAt: r.readAt?.toISOString() ?? null,
})

const affected = (res: unknown) => (res as [{ affectedRows: number }])[0].affectedRows

export function messageService(app: Deps) {
  const { db } = app

  const unread = (personId: number) =>
    db.$count(inboxMessages, and(eq(inboxMessages.personId, personId), isNull(inboxMessages.readAt)))

  /** Open votes in which the person may still cast a first ballot: the conditions the ballot insert checks. */
  async function votesWaiting(personId: number, now: Date): Promise<number> {
    const open = (id: typeof voteRollEntries.voteId | typeof voteRollUnits.voteId) =>
      and(eq(votes.id, id), eq(votes.state, 'open'), lte(votes.opensAt, now), gt(votes.closesAt, now))
    const notVoted = sql`NOT EXISTS (SELECT 1 FROM ${voteBallots} WHERE ${voteBallots.voteId} = ${voteRollEntries.voteId} AND ${voteBallots.ownerKey} = ${voteRollEntries.ownerKey})`
    const [asOwner, asProxy] = await Promise.all([
      // as a verified owner or co-owner of a unit on the roll, while no proxy is active for that owner
      db
        .selectDistinct({ voteId: votes.id })
        .from(memberships)
        .innerJoin(voteRollUnits, eq(voteRollUnits.unitId, memberships.unitId))
        .innerJoin(votes, open(voteRollUnits.voteId))
        .innerJoin(
          voteRollEntries,
          and(
            eq(voteRollEntries.voteId, voteRollUnits.voteId),
            eq(voteRollEntries.ownerKey, voteRollUnits.ownerKey),
            isNull(voteRollEntries.proxyId),
          ),
        )
        .where(
          and(
            eq(memberships.personId, personId),
            eq(memberships.state, 'verified'),
            inArray(memberships.relation, OWNER_RELATIONS),
            notVoted,
          ),
        ),
      // as the holder of an owner's active proxy (matched by the phone the owner named)
      db
        .selectDistinct({ voteId: votes.id })
        .from(persons)
        .innerJoin(voteProxies, and(eq(voteProxies.proxyPhoneHash, persons.phoneHash), eq(voteProxies.state, 'active')))
        .innerJoin(
          voteRollEntries,
          and(
            eq(voteRollEntries.voteId, voteProxies.voteId),
            eq(voteRollEntries.ownerKey, voteProxies.ownerKey),
            eq(voteRollEntries.proxyId, voteProxies.id),
          ),
        )
        .innerJoin(votes, open(voteRollEntries.voteId))
        .where(and(eq(persons.id, personId), notVoted)),
    ])
    return new Set([...asOwner, ...asProxy].map((v) => v.voteId)).size
  }

  /** Committee / worker: open requests they handle (committee-handled categories) or that are overdue. */
  async function requestsWaiting(communityIds: number[]): Promise<{ handle: number; escalated: number }> {
    if (communityIds.length === 0) return { handle: 0, escalated: 0 }
    const [row] = await db
      .select({
        handle:
          sql<number>`COALESCE(SUM(${serviceRequests.handler} = 'committee' OR ${serviceRequests.escalation} IS NOT NULL), 0)`.mapWith(
            Number,
          ),
        escalated: sql<number>`COALESCE(SUM(${serviceRequests.escalation} IS NOT NULL), 0)`.mapWith(Number),
      })
      .from(serviceRequests)
      .where(and(inArray(serviceRequests.communityId, communityIds), inArray(serviceRequests.status, OPEN)))
    return { handle: row?.handle ?? 0, escalated: row?.escalated ?? 0 }
  }

  return {
    async list(personId: number, q: InboxQuery): Promise<InboxPage> {
      const rows = await db
        .select()
        .from(inboxMessages)
        .where(
          and(
            eq(inboxMessages.personId, personId),
            q.cursor ? lt(inboxMessages.id, q.cursor) : undefined,
            q.unread ? isNull(inboxMessages.readAt) : undefined,
          ),
        )
        .orderBy(desc(inboxMessages.id))
        .limit(q.limit + 1)
      const page = rows.slice(0, q.limit)
      return {
        items: page.map(toMessage),
        nextCursor: rows.length > q.limit ? page[page.length - 1]!.id : null,
        unread: await unread(personId),
      }
    },

    async unreadCount(personId: number): Promise<UnreadCount> {
      return { unread: await unread(personId) }
    },

    async markRead(personId: number, messageId: number): Promise<UnreadCount> {
      const res = await db
        .update(inboxMessages)
        .set({ readAt: new Date() })
        .where(and(eq(inboxMessages.id, messageId), eq(inboxMessages.personId, personId), isNull(inboxMessages.readAt)))
      if (affected(res) === 0) {
        // already read is fine (a second tap, another device); someone else's message does not exist for them
        const [mine] = await db
          .select({ id: inboxMessages.id })
          .from(inboxMessages)
          .where(and(eq(inboxMessages.id, messageId), eq(inboxMessages.personId, personId)))
        if (!mine) throw notFound('message')
      }
      return { unread: await unread(personId) }
    },

    async markAllRead(personId: number): Promise<UnreadCount> {
      await db
        .update(inboxMessages)
        .set({ readAt: new Date() })
        .where(and(eq(inboxMessages.personId, personId), isNull(inboxMessages.readAt)))
      return { unread: await unread(personId) }
    },

    /** 待办: a few indexed queries, run together (the mini-program asks each time a tab shows). */
    async todo(personId: number): Promise<Todo> {
      const now = new Date()
      const roleRows = await db
        .selectDistinct({ communityId: communityRoles.communityId })
        .from(communityRoles)
        .where(eq(communityRoles.personId, personId))
      const reviewing = roleRows.map((r) => r.communityId)
      const [voteCount, toConfirm, reviews, requests, unreadMessages] = await Promise.all([
        votesWaiting(personId, now),
        db.$count(
          serviceRequests,
          and(eq(serviceRequests.reporterPersonId, personId), eq(serviceRequests.status, 'resolved')),
        ),
        countPendingApplications(db, reviewing),
        requestsWaiting(reviewing),
        unread(personId),
      ])
      return {
        votes: voteCount,
        requestsToConfirm: toConfirm,
        reviews,
        requestsToHandle: requests.handle,
        escalations: requests.escalated,
        unreadMessages,
      }
    },
  }
}

/** The next daily pruning: 04:00 China time (UTC+8, no daylight saving), when nobody is reading. */
function nextPrune(now: Date): { key: string; runAt: Date } {
  const china = new Date(now.getTime() + 8 * 3_600_000)
  let runAt = Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate(), 4) - 8 * 3_600_000
  if (runAt <= now.getTime()) runAt += DAY
  const date = new Date(runAt + 8 * 3_600_000).toISOString().slice(0, 10)
  return { key: `${PRUNE_JOB}:${date}`, runAt: new Date(runAt) }
}

/**
 * Retention through the one scheduler: once a day, messages older than INBOX_RETENTION_DAYS are deleted, in
 * batches (a full batch runs again a minute later). Each run schedules the next under its own key, because the
 * scheduler marks the running job done after its handler returns.
 */
export function registerInbox(app: Pick<FastifyInstance, 'db' | 'scheduler' | 'addHook' | 'log'>) {
  // the next run after `after`, never the running one's own key (it is marked done once its handler returns)
  const scheduleNext = (db: DbOrTx, after: Date) => {
    const next = nextPrune(after)
    return app.scheduler.schedule(db, {
      kind: PRUNE_JOB,
      key: next.key,
      runAt: next.runAt,
      payload: { runAt: next.runAt.toISOString() },
    })
  }
  app.scheduler.handle(PRUNE_JOB, async (payload, tx) => {
    const now = new Date()
    const res = await tx
      .delete(inboxMessages)
      .where(lt(inboxMessages.createdAt, new Date(now.getTime() - INBOX_RETENTION_DAYS * DAY)))
      .limit(PRUNE_BATCH)
    if (affected(res) >= PRUNE_BATCH) {
      await app.scheduler.schedule(tx, {
        kind: PRUNE_JOB,
        key: `${PRUNE_JOB}:more:${now.getTime()}`,
        runAt: new Date(now.getTime() + 60_000),
      })
    } else {
      const planned = typeof payload.runAt === 'string' ? new Date(payload.runAt).getTime() : 0
      await scheduleNext(tx, new Date(Math.max(now.getTime(), planned || 0)))
    }
  })
  // the first timer: at start, and while the database cannot be reached (the BFF still starts), again each minute
  let retry: NodeJS.Timeout | undefined
  const ensure = async () => {
    try {
      await scheduleNext(app.db, new Date())
    } catch (err) {
      app.log.warn({ err }, 'could not schedule the inbox retention; trying again in a minute')
      retry = setTimeout(() => void ensure(), 60_000).unref()
    }
  }
  app.addHook('onReady', ensure)
  app.addHook('onClose', async () => clearTimeout(retry))
}
