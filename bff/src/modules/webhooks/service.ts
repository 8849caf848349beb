import { randomBytes } from 'node:crypto'
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { OUTBOUND_EVENT_TYPES } from '@linli/shared/schemas/webhooks'
import {
  communities,
  communityPropertyContracts,
  outbox,
  propertyCompanies,
  webhookAttempts,
  webhookCommunities,
  webhookIntegrations,
} from '../../db/schema'
import type { Db, DbOrTx, Tx } from '../../db/client'
import type { Config } from '../../config'
import type { DataProtector } from '../../lib/crypto'
import { AppError } from '../../errors'
import { appendAudit } from '../audit'
import type { InboundEventType, InboundHandler, OutboundEvent } from './contract'
import { generateSecret, signatureHeader } from './signing'
import { checkOutboundUrl } from './url-guard'
import { parseRetryAfter, postWebhook } from './sender'

/**
 * Property-company integrations (Standard Webhooks). Outbound messages go through the one outbox (topic
 * `webhook.delivery`): `emitPropertyEvent` writes a row per subscribed integration in the caller's
 * transaction; the topic handler below signs and POSTs it, records the attempt, and tells the outbox when to
 * retry. Inbound messages are handled in ./inbound.ts through the handler registry here.
 */
export const WEBHOOK_TOPIC = 'webhook.delivery'

/** Standard Webhooks sender schedule: attempt n (1-based) runs RETRY_SCHEDULE_MS[n-1] after attempt n-1 failed. */
export const RETRY_SCHEDULE_MS = [
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  14 * 3_600_000,
  20 * 3_600_000,
  24 * 3_600_000,
]
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length
/** statuses whose Retry-After we honour */
const THROTTLE_STATUSES = new Set([429, 502, 503, 504])
const MAX_RETRY_AFTER_MS = 24 * 3_600_000
export const DEFAULT_GRACE_HOURS = 24

/** Delay before the attempt after `attemptsMade` failed ones, ±10 % jitter (so retries of many messages spread out). */
export function retryDelayMs(attemptsMade: number, random = Math.random()): number {
  const base = RETRY_SCHEDULE_MS[Math.min(attemptsMade, MAX_ATTEMPTS - 1)]!
  return Math.round(base * (0.9 + random * 0.2))
}

// ---------------------------------------------------------------------------------------------------------
// Inbound handler registry (the seam: features register handlers for the events property companies send)

// Per app instance: handlers close over their app's dependencies, so two apps in one process never mix them.
const registries = new WeakMap<object, Map<InboundEventType, InboundHandler>>()

/** A feature registers the handler of one inbound event type on an app (the last registration wins). */
export function registerInboundHandler(app: object, type: InboundEventType, handler: InboundHandler): void {
  let registry = registries.get(app)
  if (!registry) {
    registry = new Map()
    registries.set(app, registry)
  }
  registry.set(type, handler)
}

export function registeredInboundHandler(app: object, type: InboundEventType): InboundHandler | undefined {
  return registries.get(app)?.get(type)
}

// ---------------------------------------------------------------------------------------------------------
// Outbound

export interface DeliveryPayload {
  integrationId: string
  messageId: string
  type: string
  /** when the event happened (ISO); the envelope's `timestamp` */
  timestamp: string
  data: Record<string, unknown>
}

const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T))

/** Today in China (contracts are calendar dates, 北京时间). */
export const chinaToday = (now = Date.now()) => new Date(now + 8 * 3_600_000).toISOString().slice(0, 10)

/** A contract of the integration's company with the community that is in force today. */
function contractInForce(today: string) {
  return and(
    eq(communityPropertyContracts.communityId, webhookCommunities.communityId),
    eq(communityPropertyContracts.propertyCompanyId, webhookIntegrations.propertyCompanyId),
    lte(communityPropertyContracts.startsOn, today),
    or(isNull(communityPropertyContracts.endsOn), gte(communityPropertyContracts.endsOn, today)),
  )
}

/** The message id (webhook-id) of an event: one per event, the same for every integration and every retry. */
export function messageIdOf(event: OutboundEvent): string {
  return `msg_${event.subject.kind === 'service_request' ? 'sr' : event.subject.kind}${event.subject.id}_${event.subject.seq}`
}

/**
 * Inside the caller's transaction: one outbox row per active integration of the event's community that has a
 * URL, subscribes to the event type, and whose company's contract with the community is in force. Calling it
 * again for the same event (same subject and seq) adds nothing (dedupe key = integration + message id).
 */
export async function emitPropertyEvent(
  app: Pick<FastifyInstance, 'outbox'>,
  tx: DbOrTx,
  event: OutboundEvent,
): Promise<number> {
  const rows = await tx
    .selectDistinct({ id: webhookIntegrations.id, eventTypes: webhookIntegrations.eventTypes })
    .from(webhookIntegrations)
    .innerJoin(webhookCommunities, eq(webhookCommunities.integrationId, webhookIntegrations.id))
    .innerJoin(communityPropertyContracts, contractInForce(chinaToday()))
    .where(
      and(
        eq(webhookCommunities.communityId, event.communityId),
        eq(webhookIntegrations.status, 'active'),
        isNotNull(webhookIntegrations.url),
      ),
    )
  const messageId = messageIdOf(event)
  const timestamp = new Date().toISOString()
  const kindKey = event.subject.kind === 'service_request' ? 'requestId' : `${event.subject.kind}Id`
  const data = {
    ...event.data,
    communityId: event.communityId,
    [kindKey]: event.subject.id,
    sequence: event.subject.seq,
  }
  let n = 0
  for (const r of rows) {
    if (!parseJson<string[]>(r.eventTypes).includes(event.type)) continue
    const payload: DeliveryPayload = { integrationId: r.id, messageId, type: event.type, timestamp, data }
    await app.outbox.enqueue(tx, {
      topic: WEBHOOK_TOPIC,
      dedupeKey: `wh:${r.id}:${messageId}`,
      payload: { ...payload },
    })
    n++
  }
  return n
}

type IntegrationRow = typeof webhookIntegrations.$inferSelect

/** The secrets that sign and verify now: the current one, and the previous one while its grace period lasts. */
export function secretsOf(
  protector: DataProtector,
  row: Pick<IntegrationRow, 'secretEnc' | 'prevSecretEnc' | 'prevSecretUntil'>,
  now = new Date(),
): string[] {
  const secrets = [protector.decrypt(row.secretEnc)]
  if (row.prevSecretEnc && row.prevSecretUntil && row.prevSecretUntil.getTime() > now.getTime())
    secrets.push(protector.decrypt(row.prevSecretEnc))
  return secrets
}

const integrationStream = (id: string) => `webhook:${id}`

type DeliveryDeps = Pick<FastifyInstance, 'db' | 'outbox' | 'protector' | 'config' | 'log'>

/** The outbox topic handler: sign, POST, record the attempt, decide delivered / retry (when) / dead. */
export function registerWebhookDelivery(app: DeliveryDeps) {
  app.outbox.handle(
    WEBHOOK_TOPIC,
    async (raw, meta) => {
      const p = raw as unknown as DeliveryPayload
      const attempt = meta.attempts
      const record = (
        outcome: 'delivered' | 'retry' | 'dead' | 'skipped',
        r: { statusCode?: number | null; durationMs?: number; error?: string; nextAttemptAt?: Date },
      ) =>
        app.db.insert(webhookAttempts).values({
          integrationId: p.integrationId,
          outboxId: meta.id,
          messageId: p.messageId,
          eventType: p.type,
          attempt,
          statusCode: r.statusCode ?? null,
          durationMs: r.durationMs ?? 0,
          outcome,
          error: r.error?.slice(0, 500) ?? null,
          nextAttemptAt: r.nextAttemptAt ?? null,
        })

      const [integration] = await app.db
        .select()
        .from(webhookIntegrations)
        .where(eq(webhookIntegrations.id, p.integrationId))
      if (!integration || integration.status === 'revoked') {
        await record('skipped', { error: 'integration revoked' })
        return { result: 'skipped', note: 'integration revoked' }
      }
      // Disabled (the endpoint answered 410, or an operator disabled it): kept as dead so it can be redelivered.
      if (integration.status === 'disabled' || !integration.url) {
        const error = integration.status === 'disabled' ? 'integration disabled' : 'integration has no URL'
        await record('dead', { error })
        return { result: 'dead', error }
      }
      if (!parseJson<string[]>(integration.eventTypes).includes(p.type)) {
        await record('skipped', { error: 'event type no longer subscribed' })
        return { result: 'skipped', note: 'event type no longer subscribed' }
      }

      const body = JSON.stringify({ type: p.type, timestamp: p.timestamp, data: p.data })
      const ts = Math.floor(Date.now() / 1000)
      const headers = {
        'webhook-id': p.messageId,
        'webhook-timestamp': String(ts),
        'webhook-signature': signatureHeader(secretsOf(app.protector, integration), p.messageId, ts, body),
      }
      const res = await postWebhook(integration.url, body, headers, {
        timeoutMs: app.config.webhooks.timeoutMs,
        allowPrivate: app.config.webhooks.allowPrivateUrls,
      })

      if (res.status !== null && res.status >= 200 && res.status < 300) {
        await record('delivered', { statusCode: res.status, durationMs: res.durationMs })
        return { result: 'delivered' }
      }
      if (res.status === 410) {
        await app.db.transaction(async (tx) => {
          const changed = await tx
            .update(webhookIntegrations)
            .set({ status: 'disabled', statusReason: 'endpoint answered 410 Gone' })
            .where(and(eq(webhookIntegrations.id, integration.id), eq(webhookIntegrations.status, 'active')))
          if ((changed as unknown as [{ affectedRows: number }])[0].affectedRows > 0) {
            await appendAudit(tx, {
              stream: integrationStream(integration.id),
              action: 'webhook.integration_disabled',
              actorPersonId: null,
              subjectType: 'webhook_integration',
              subjectId: integration.id,
              data: { reason: '410 Gone', messageId: p.messageId },
            })
          }
        })
        app.log.warn({ integrationId: integration.id }, 'webhook endpoint answered 410: integration disabled')
        await record('dead', {
          statusCode: 410,
          durationMs: res.durationMs,
          error: 'HTTP 410: endpoint gone, integration disabled',
        })
        return { result: 'dead', error: 'HTTP 410: endpoint gone, integration disabled' }
      }

      const error = res.error ?? `HTTP ${res.status}`
      if (attempt >= MAX_ATTEMPTS) {
        await record('dead', { statusCode: res.status, durationMs: res.durationMs, error })
        return { result: 'dead', error }
      }
      let retryAt = new Date(Date.now() + retryDelayMs(attempt))
      if (res.status !== null && THROTTLE_STATUSES.has(res.status)) {
        const after = parseRetryAfter(res.retryAfter)
        if (after) retryAt = new Date(Math.min(after.getTime(), Date.now() + MAX_RETRY_AFTER_MS))
      }
      await record('retry', { statusCode: res.status, durationMs: res.durationMs, error, nextAttemptAt: retryAt })
      return { result: 'retry', error, retryAt }
    },
    { maxAttempts: MAX_ATTEMPTS },
  )
}

// ---------------------------------------------------------------------------------------------------------
// Administration (CLI and the platform-admin API)

export interface IntegrationView {
  id: string
  propertyCompanyId: number
  propertyCompanyName: string
  name: string
  url: string | null
  eventTypes: string[]
  status: 'active' | 'disabled' | 'revoked'
  statusReason: string | null
  communityIds: number[]
  /** the previous secret still verifies until then (rotation grace period) */
  previousSecretValidUntil: Date | null
  createdAt: Date
}

type AdminDeps = { db: Db; protector: DataProtector; config: Pick<Config, 'webhooks'> }

function checkEventTypes(types: string[]): string[] {
  const unknown = types.filter((t) => !(OUTBOUND_EVENT_TYPES as readonly string[]).includes(t))
  if (unknown.length)
    throw new AppError(
      'VALIDATION_FAILED',
      `unknown event type(s): ${unknown.join(', ')}; known: ${OUTBOUND_EVENT_TYPES.join(', ')}`,
    )
  return [...new Set(types)]
}

export function integrationService(deps: AdminDeps) {
  const { db, protector } = deps
  const allowPrivate = deps.config.webhooks.allowPrivateUrls

  async function get(id: string): Promise<IntegrationRow> {
    const [row] = await db.select().from(webhookIntegrations).where(eq(webhookIntegrations.id, id))
    if (!row) throw new AppError('WEBHOOK_UNKNOWN_INTEGRATION', `integration ${id} not found`)
    return row
  }

  async function audit(
    tx: Tx,
    id: string,
    action: string,
    actorPersonId: number | null,
    data: Record<string, unknown> = {},
  ) {
    await appendAudit(tx, {
      stream: integrationStream(id),
      action,
      actorPersonId,
      subjectType: 'webhook_integration',
      subjectId: id,
      data,
    })
  }

  return {
    get,

    /** Returns the secret ONCE: it is stored encrypted and never shown again (rotate to get a new one). */
    async create(input: {
      propertyCompanyId: number
      communityIds: number[]
      url?: string | null
      eventTypes: string[]
      name?: string
      actorPersonId?: number | null
    }): Promise<{ id: string; secret: string }> {
      const [company] = await db
        .select()
        .from(propertyCompanies)
        .where(eq(propertyCompanies.id, input.propertyCompanyId))
      if (!company) throw new AppError('NOT_FOUND', `property company ${input.propertyCompanyId} not found`)
      const communityIds = [...new Set(input.communityIds)]
      if (communityIds.length === 0) throw new AppError('VALIDATION_FAILED', 'at least one community is required')
      const found = await db
        .select({ id: communities.id })
        .from(communities)
        .where(inArray(communities.id, communityIds))
      const missing = communityIds.filter((c) => !found.some((f) => f.id === c))
      if (missing.length) throw new AppError('NOT_FOUND', `community ${missing.join(', ')} not found`)
      const today = chinaToday()
      const contracts = await db
        .select({ communityId: communityPropertyContracts.communityId })
        .from(communityPropertyContracts)
        .where(
          and(
            eq(communityPropertyContracts.propertyCompanyId, input.propertyCompanyId),
            inArray(communityPropertyContracts.communityId, communityIds),
            lte(communityPropertyContracts.startsOn, today),
            or(isNull(communityPropertyContracts.endsOn), gte(communityPropertyContracts.endsOn, today)),
          ),
        )
      const unserved = communityIds.filter((c) => !contracts.some((k) => k.communityId === c))
      if (unserved.length)
        throw new AppError(
          'CONFLICT',
          `${company.name} has no property contract in force with community ${unserved.join(', ')}`,
        )
      const url = input.url ? await checkOutboundUrl(input.url, allowPrivate) : null
      const eventTypes = checkEventTypes(input.eventTypes)
      const id = `int_${randomBytes(10).toString('hex')}`
      const secret = generateSecret()
      await db.transaction(async (tx) => {
        await tx.insert(webhookIntegrations).values({
          id,
          propertyCompanyId: input.propertyCompanyId,
          name: input.name ?? company.name,
          url,
          eventTypes,
          secretEnc: protector.encrypt(secret),
        })
        await tx
          .insert(webhookCommunities)
          .values(communityIds.map((communityId) => ({ integrationId: id, communityId })))
        await audit(tx, id, 'webhook.integration_created', input.actorPersonId ?? null, {
          propertyCompanyId: input.propertyCompanyId,
          communityIds,
          url,
          eventTypes,
        })
      })
      return { id, secret }
    },

    async list(filter: { propertyCompanyId?: number } = {}): Promise<IntegrationView[]> {
      const rows = await db
        .select({ i: webhookIntegrations, companyName: propertyCompanies.name })
        .from(webhookIntegrations)
        .innerJoin(propertyCompanies, eq(propertyCompanies.id, webhookIntegrations.propertyCompanyId))
        .where(
          filter.propertyCompanyId ? eq(webhookIntegrations.propertyCompanyId, filter.propertyCompanyId) : undefined,
        )
        .orderBy(asc(webhookIntegrations.createdAt))
      const scopes = rows.length
        ? await db
            .select()
            .from(webhookCommunities)
            .where(
              inArray(
                webhookCommunities.integrationId,
                rows.map((r) => r.i.id),
              ),
            )
        : []
      const now = Date.now()
      return rows.map(({ i, companyName }) => ({
        id: i.id,
        propertyCompanyId: i.propertyCompanyId,
        propertyCompanyName: companyName,
        name: i.name,
        url: i.url,
        eventTypes: parseJson<string[]>(i.eventTypes),
        status: i.status,
        statusReason: i.statusReason,
        communityIds: scopes.filter((s) => s.integrationId === i.id).map((s) => s.communityId),
        previousSecretValidUntil:
          i.prevSecretEnc && i.prevSecretUntil && i.prevSecretUntil.getTime() > now ? i.prevSecretUntil : null,
        createdAt: i.createdAt,
      }))
    },

    /** New secret now; the old one keeps verifying (and is sent as a second signature) for `graceHours`. */
    async rotate(
      id: string,
      opts: { graceHours?: number; actorPersonId?: number | null } = {},
    ): Promise<{ secret: string; previousValidUntil: Date }> {
      const graceHours = opts.graceHours ?? DEFAULT_GRACE_HOURS
      if (!(graceHours >= 0 && graceHours <= 7 * 24))
        throw new AppError('VALIDATION_FAILED', 'grace period: 0 to 168 hours')
      const secret = generateSecret()
      const previousValidUntil = new Date(Date.now() + graceHours * 3_600_000)
      await db.transaction(async (tx) => {
        const [row] = await tx.select().from(webhookIntegrations).where(eq(webhookIntegrations.id, id)).for('update')
        if (!row) throw new AppError('WEBHOOK_UNKNOWN_INTEGRATION', `integration ${id} not found`)
        if (row.status === 'revoked') throw new AppError('INVALID_TRANSITION', 'the integration is revoked')
        await tx
          .update(webhookIntegrations)
          .set({
            secretEnc: protector.encrypt(secret),
            prevSecretEnc: row.secretEnc,
            prevSecretUntil: previousValidUntil,
          })
          .where(eq(webhookIntegrations.id, id))
        await audit(tx, id, 'webhook.secret_rotated', opts.actorPersonId ?? null, {
          previousValidUntil: previousValidUntil.toISOString(),
        })
      })
      return { secret, previousValidUntil }
    },

    /** Final: inbound answers 401, nothing more is sent (pending messages are skipped). */
    async revoke(id: string, actorPersonId: number | null = null): Promise<void> {
      await db.transaction(async (tx) => {
        const [row] = await tx.select().from(webhookIntegrations).where(eq(webhookIntegrations.id, id)).for('update')
        if (!row) throw new AppError('WEBHOOK_UNKNOWN_INTEGRATION', `integration ${id} not found`)
        if (row.status === 'revoked') return
        await tx
          .update(webhookIntegrations)
          .set({ status: 'revoked', statusReason: 'revoked', prevSecretEnc: null, prevSecretUntil: null })
          .where(eq(webhookIntegrations.id, id))
        await audit(tx, id, 'webhook.integration_revoked', actorPersonId)
      })
    },

    /** Checked now (https, every resolved address public); a disabled integration is re-enabled with its new URL. */
    async setUrl(id: string, rawUrl: string, actorPersonId: number | null = null): Promise<string> {
      const url = await checkOutboundUrl(rawUrl, allowPrivate)
      await db.transaction(async (tx) => {
        const [row] = await tx.select().from(webhookIntegrations).where(eq(webhookIntegrations.id, id)).for('update')
        if (!row) throw new AppError('WEBHOOK_UNKNOWN_INTEGRATION', `integration ${id} not found`)
        if (row.status === 'revoked') throw new AppError('INVALID_TRANSITION', 'the integration is revoked')
        await tx
          .update(webhookIntegrations)
          .set({ url, status: 'active', statusReason: null })
          .where(eq(webhookIntegrations.id, id))
        await audit(tx, id, 'webhook.url_set', actorPersonId, { url, reenabled: row.status === 'disabled' })
      })
      return url
    },

    async setEvents(id: string, types: string[], actorPersonId: number | null = null): Promise<string[]> {
      const eventTypes = checkEventTypes(types)
      await db.transaction(async (tx) => {
        const [row] = await tx.select().from(webhookIntegrations).where(eq(webhookIntegrations.id, id)).for('update')
        if (!row) throw new AppError('WEBHOOK_UNKNOWN_INTEGRATION', `integration ${id} not found`)
        await tx.update(webhookIntegrations).set({ eventTypes }).where(eq(webhookIntegrations.id, id))
        await audit(tx, id, 'webhook.events_set', actorPersonId, { eventTypes })
      })
      return eventTypes
    },

    /** After a 410 (or by hand): deliver again. Dead messages stay dead until redelivered. */
    async setEnabled(id: string, enabled: boolean, actorPersonId: number | null = null): Promise<void> {
      await db.transaction(async (tx) => {
        const [row] = await tx.select().from(webhookIntegrations).where(eq(webhookIntegrations.id, id)).for('update')
        if (!row) throw new AppError('WEBHOOK_UNKNOWN_INTEGRATION', `integration ${id} not found`)
        if (row.status === 'revoked') throw new AppError('INVALID_TRANSITION', 'the integration is revoked')
        await tx
          .update(webhookIntegrations)
          .set({ status: enabled ? 'active' : 'disabled', statusReason: enabled ? null : 'disabled by an operator' })
          .where(eq(webhookIntegrations.id, id))
        await audit(tx, id, enabled ? 'webhook.integration_enabled' : 'webhook.integration_disabled', actorPersonId, {
          by: 'operator',
        })
      })
    },

    /**
     * Puts messages back into the outbox with a fresh attempt budget: one message (dead, delivered or skipped;
     * not one still pending), or every dead message of the integration. Same webhook-id, so receivers dedupe.
     */
    async redeliver(
      id: string,
      which: { messageId?: string; dead?: boolean },
      actorPersonId: number | null = null,
    ): Promise<number> {
      const row = await get(id)
      if (row.status !== 'active')
        throw new AppError(
          'INVALID_TRANSITION',
          `the integration is ${row.status}: ${row.status === 'revoked' ? 'nothing can be sent' : 'set its URL or enable it first'}`,
        )
      if (!which.messageId === !which.dead) throw new AppError('VALIDATION_FAILED', 'give either a message id or dead')
      const scope = which.messageId
        ? and(
            eq(outbox.dedupeKey, `wh:${id}:${which.messageId}`),
            inArray(outbox.status, ['dead', 'delivered', 'skipped']),
          )
        : and(
            sql`${outbox.dedupeKey} LIKE ${`${`wh:${id}:`.replace(/[!%_]/g, '!$&')}%`} ESCAPE '!'`,
            eq(outbox.status, 'dead'),
          )
      return db.transaction(async (tx) => {
        const res = await tx
          .update(outbox)
          .set({
            status: 'pending',
            attempts: 0,
            nextAttemptAt: new Date(),
            lockedUntil: null,
            lastError: null,
            deliveredAt: null,
          })
          .where(and(eq(outbox.topic, WEBHOOK_TOPIC), scope))
        const n = (res as unknown as [{ affectedRows: number }])[0].affectedRows
        if (which.messageId && n === 0)
          throw new AppError('NOT_FOUND', `no finished message ${which.messageId} for integration ${id}`)
        if (n > 0)
          await audit(
            tx,
            id,
            'webhook.redelivered',
            actorPersonId,
            which.messageId ? { messageId: which.messageId } : { dead: n },
          )
        return n
      })
    },

    async attempts(id: string, filter: { messageId?: string; limit?: number } = {}) {
      await get(id)
      return db
        .select()
        .from(webhookAttempts)
        .where(
          and(
            eq(webhookAttempts.integrationId, id),
            filter.messageId ? eq(webhookAttempts.messageId, filter.messageId) : undefined,
          ),
        )
        .orderBy(desc(webhookAttempts.id))
        .limit(filter.limit ?? 50)
    },
  }
}
