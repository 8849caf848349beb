import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomBytes, randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { and, asc, eq, like, sql } from 'drizzle-orm'
import { Webhook } from 'standardwebhooks'
import {
  auditEvents,
  communities,
  communityPropertyContracts,
  memberships,
  notices,
  outbox,
  propertyCompanies,
  webhookAttempts,
  webhookInbox,
  webhookIntegrations,
} from '@linli/bff/db/schema'
import { ConfigError, loadConfig } from '@linli/bff/config'
import type { InboundHandler, OutboundEvent } from '@linli/bff/modules/webhooks/contract'
import {
  emitPropertyEvent,
  integrationService,
  registerInboundHandler,
  registeredInboundHandler,
  RETRY_SCHEDULE_MS,
} from '@linli/bff/modules/webhooks/service'
import { checkOutboundUrl, isPrivateAddress, lookupAll } from '@linli/bff/modules/webhooks/url-guard'
import { postWebhook } from '@linli/bff/modules/webhooks/sender'
import { login, phoneCode, startTestEnv, type TestEnv } from '../helpers/app'
import { buildWorld, unitId, type World } from '../helpers/world'
import { startPropertyReceiver, type PropertyReceiver } from '../helpers/property-receiver'
import { REPO_ROOT, run } from '../helpers/run'

/**
 * Property-company webhooks (Standard Webhooks) through a real BFF, MariaDB, Redis and a real HTTP receiver
 * that checks our signatures with the reference `standardwebhooks` library. Delivery is driven by
 * app.outbox.dispatchDue(); waiting is skipped by moving next_attempt_at, never by sleeping.
 */
let env: TestEnv
let world: World
let integrations: ReturnType<typeof integrationService>
let companyId: number
const receivers: PropertyReceiver[] = []

beforeAll(async () => {
  env = await startTestEnv({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', SCHEDULER_ENABLED: 'false' })
  world = await buildWorld(env)
  integrations = integrationService({ db: env.db, protector: env.protector, config: env.config })
  const [p] = await env.db
    .insert(propertyCompanies)
    .values({ name: '安居物业', creditCode: '91310000MA1K000001' })
    .$returningId()
  companyId = p!.id
  await env.db.insert(communityPropertyContracts).values([
    { communityId: world.a.id, propertyCompanyId: companyId, startsOn: '2024-01-01' },
    { communityId: world.b.id, propertyCompanyId: companyId, startsOn: '2024-01-01' },
  ])
})
afterAll(async () => {
  for (const r of receivers) await r.close()
  await env?.close()
})

// ---- helpers -------------------------------------------------------------------------------------------

/** A community of its own served by the company, with an integration pointing at a new receiver. */
async function outboundSetup(events: string[] = ['service_request.created', 'service_request.updated']) {
  const [c] = await env.db
    .insert(communities)
    .values({ name: `投递测试${randomBytes(3).toString('hex')}` })
    .$returningId()
  await env.db
    .insert(communityPropertyContracts)
    .values({ communityId: c!.id, propertyCompanyId: companyId, startsOn: '2024-01-01' })
  const receiver = await startPropertyReceiver(`whsec_${Buffer.alloc(32, 1).toString('base64')}`)
  receivers.push(receiver)
  const { id, secret } = await integrations.create({
    propertyCompanyId: companyId,
    communityIds: [c!.id],
    url: receiver.url,
    eventTypes: events,
  })
  receiver.secrets = [secret]
  return { communityId: c!.id, integrationId: id, secret, receiver }
}

let nextRequestId = 10_000
async function emit(
  communityId: number,
  requestId: number,
  seq: number,
  type: OutboundEvent['type'] = 'service_request.created',
  data: Record<string, unknown> = {},
) {
  return env.db.transaction((tx) =>
    emitPropertyEvent(env.app, tx, {
      communityId,
      type,
      subject: { kind: 'service_request', id: requestId, seq },
      data: { title: '楼道灯不亮', ...data },
    }),
  )
}

const rowsOf = (integrationId: string) =>
  env.db
    .select()
    .from(outbox)
    .where(like(outbox.dedupeKey, `wh:${integrationId}:%`))
    .orderBy(asc(outbox.id))
const attemptsOf = (integrationId: string) =>
  env.db
    .select()
    .from(webhookAttempts)
    .where(eq(webhookAttempts.integrationId, integrationId))
    .orderBy(asc(webhookAttempts.id))
const makeDue = (integrationId: string) =>
  env.db
    .update(outbox)
    .set({ nextAttemptAt: new Date(Date.now() - 1000) })
    .where(and(like(outbox.dedupeKey, `wh:${integrationId}:%`), eq(outbox.status, 'pending')))
const dispatch = () => env.app.outbox.dispatchDue()

function signed(secret: string, payload: unknown, opts: { msgId?: string; at?: Date; raw?: string } = {}) {
  const body = opts.raw ?? JSON.stringify(payload)
  const msgId = opts.msgId ?? `msg_${randomUUID()}`
  const at = opts.at ?? new Date()
  return {
    body,
    msgId,
    headers: {
      'content-type': 'application/json',
      'webhook-id': msgId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(msgId, at, body),
    },
  }
}

async function send(
  integrationId: string,
  secret: string,
  payload: unknown,
  opts: { msgId?: string; at?: Date; raw?: string } = {},
  app = env.app,
) {
  const s = signed(secret, payload, opts)
  const res = await app.inject({
    method: 'POST',
    url: `/webhooks/property/${integrationId}`,
    headers: s.headers,
    payload: s.body,
  })
  return Object.assign(res, { msgId: s.msgId })
}

const event = (type: string, data: Record<string, unknown>) => ({ type, timestamp: new Date().toISOString(), data })
const count = async (table: typeof notices | typeof webhookInbox) =>
  Number((await env.db.select({ n: sql<number>`count(*)` }).from(table))[0]!.n)

// ---- configuration and SSRF --------------------------------------------------------------------------

describe('configuration', () => {
  const production = {
    NODE_ENV: 'production',
    DATABASE_URL: 'mysql://linli:pw@db.internal:3306/linli',
    REDIS_URL: 'rediss://cache.internal:6380/0',
    JWT_KEYS: 'p1:a-production-secret-that-is-long-enough-0123',
    JWT_ACTIVE_KID: 'p1',
    DATA_KEY: Buffer.alloc(32, 1).toString('base64'),
    WECHAT_APPID: 'wx1234567890abcdef',
    WECHAT_SECRET: 'real-wechat-secret',
    WECHAT_TEMPLATE_VOTE_REMINDER: 't1',
    WECHAT_TEMPLATE_VOTE_RESULT: 't2',
    WECHAT_TEMPLATE_SR_PROGRESS: 't3',
    WECHAT_TEMPLATE_SR_TODO: 't4',
    WECHAT_TEMPLATE_SR_OVERDUE: 't5',
    UPLOAD_DIR: '/var/lib/linli/uploads',
    PUBLIC_BASE_URL: 'https://api.linli.example',
  }

  it('refuses WEBHOOK_ALLOW_PRIVATE_URLS in production; off by default; 15 s timeout', () => {
    const prod = loadConfig(production)
    expect(prod.webhooks).toEqual({ allowPrivateUrls: false, timeoutMs: 15000, rateLimitMax: 600 })
    expect(() => loadConfig({ ...production, WEBHOOK_ALLOW_PRIVATE_URLS: 'true' })).toThrow(ConfigError)
    expect(() => loadConfig({ ...production, WEBHOOK_ALLOW_PRIVATE_URLS: 'true' })).toThrow(
      /WEBHOOK_ALLOW_PRIVATE_URLS/,
    )
    expect(loadConfig({}).webhooks.allowPrivateUrls).toBe(false)
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }).webhooks.allowPrivateUrls).toBe(true)
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_URLS: 'maybe' })).toThrow(/WEBHOOK_ALLOW_PRIVATE_URLS/)
  })
})

describe('SSRF guard', () => {
  it('classifies addresses', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      'fc00::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:169.254.169.254',
      '64:ff9b::a00:1',
      'not-an-ip',
    ])
      expect(isPrivateAddress(ip), ip).toBe(true)
    for (const ip of [
      '8.8.8.8',
      '1.1.1.1',
      '100.63.255.255',
      '100.128.0.1',
      '2606:4700:4700::1111',
      '240e::1',
      '::ffff:8.8.8.8',
    ])
      expect(isPrivateAddress(ip), ip).toBe(false)
  })

  it('refuses http, private, loopback, link-local and local names when a URL is set (without the dev flag)', async () => {
    const refusedUrls = [
      'http://example.com/hook',
      'https://127.0.0.1/hook',
      'https://10.0.0.8/hook',
      'https://169.254.169.254/latest/meta-data/',
      'https://[::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://[fe80::1]/hook',
      'https://100.64.0.1/hook',
      'https://0.0.0.0/hook',
      'https://224.0.0.1/hook',
      'https://localhost/hook',
      'https://intranet/hook',
      'https://user:pw@example.com/hook',
      'ftp://example.com/hook',
      'not a url',
    ]
    for (const url of refusedUrls)
      await expect(checkOutboundUrl(url, false), url).rejects.toMatchObject({ code: 'WEBHOOK_URL_REFUSED' })
    // names are resolved and every address checked: localhost (and this machine's own name) resolve to loopback
    await expect(checkOutboundUrl('https://localhost/hook', false)).rejects.toMatchObject({
      code: 'WEBHOOK_URL_REFUSED',
      message: 'localhost resolves to 127.0.0.1, a private, loopback or reserved address',
    })
    const own = hostname()
    const ownAddresses = await lookupAll(own).catch(() => [])
    if (ownAddresses.some((a) => isPrivateAddress(a.address)))
      await expect(checkOutboundUrl(`https://${own}:8443/hook`, false)).rejects.toMatchObject({
        code: 'WEBHOOK_URL_REFUSED',
        message: expect.stringContaining(`${own} resolves to`),
      })
    // the same through the integration commands
    const { integrationId } = await outboundSetup()
    const strict = integrationService({
      db: env.db,
      protector: env.protector,
      config: { webhooks: { ...env.config.webhooks, allowPrivateUrls: false } },
    })
    await expect(strict.setUrl(integrationId, 'https://169.254.169.254/')).rejects.toMatchObject({
      code: 'WEBHOOK_URL_REFUSED',
    })
    await expect(
      strict.create({
        propertyCompanyId: companyId,
        communityIds: [world.a.id],
        url: 'http://127.0.0.1:8080/',
        eventTypes: [],
      }),
    ).rejects.toMatchObject({ code: 'WEBHOOK_URL_REFUSED' })
    // with the dev flag, local http receivers are allowed
    await expect(checkOutboundUrl('http://127.0.0.1:8080/hook', true)).resolves.toBe('http://127.0.0.1:8080/hook')
  })

  it('checks again at delivery time after DNS resolution (rebinding) and never connects to a private address', async () => {
    const r = await postWebhook('https://localhost:1/hook', '{}', {}, { timeoutMs: 2000, allowPrivate: false })
    expect(r).toMatchObject({ status: null, error: expect.stringMatching(/refused.*127\.0\.0\.1/) })
    expect(
      (await postWebhook('http://127.0.0.1:1/hook', '{}', {}, { timeoutMs: 2000, allowPrivate: false })).error,
    ).toMatch(/https/)
    expect(
      (await postWebhook('https://[::ffff:7f00:1]:1/hook', '{}', {}, { timeoutMs: 2000, allowPrivate: false })).error,
    ).toMatch(/private/)

    // an integration whose URL was public when set and now points home: a BFF without the flag refuses to send
    const { integrationId, communityId, receiver } = await outboundSetup()
    const port = new URL(receiver.url).port
    await env.db
      .update(webhookIntegrations)
      .set({ url: `https://localhost:${port}/hooks` })
      .where(eq(webhookIntegrations.id, integrationId))
    const strictApp = await env.newApp({ WEBHOOK_ALLOW_PRIVATE_URLS: 'false', SCHEDULER_ENABLED: 'false' })
    await emit(communityId, nextRequestId++, 1)
    await strictApp.outbox.dispatchDue()
    expect(receiver.hits).toBe(0)
    const [attempt] = await attemptsOf(integrationId)
    expect(attempt).toMatchObject({
      outcome: 'retry',
      statusCode: null,
      error: expect.stringMatching(/refused: localhost resolves to 127\.0\.0\.1/),
    })
    await integrations.revoke(integrationId)
  })
})

// ---- outbound ------------------------------------------------------------------------------------------

describe('outbound delivery', () => {
  it('signs per Standard Webhooks (verified by the standardwebhooks library), once per event, with sequence', async () => {
    const { communityId, integrationId, receiver } = await outboundSetup()
    const requestId = nextRequestId++
    expect(await emit(communityId, requestId, 1, 'service_request.created', { category: '公共照明' })).toBe(1)
    expect(await emit(communityId, requestId, 1, 'service_request.created', { category: '公共照明' })).toBe(1) // same event again: deduped by the outbox
    expect(await emit(communityId, requestId, 2, 'service_request.rated')).toBe(0) // not subscribed
    expect(await rowsOf(integrationId)).toHaveLength(1)
    await dispatch()
    expect(receiver.refused).toEqual([])
    expect(receiver.received).toHaveLength(1)
    const got = receiver.received[0]!
    expect(got.id).toBe(`msg_sr${requestId}_1`)
    expect(got.signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/)
    expect(Math.abs(Number(got.timestamp) - Date.now() / 1000)).toBeLessThan(10)
    expect(got.payload).toEqual({
      type: 'service_request.created',
      timestamp: expect.any(String),
      data: { title: '楼道灯不亮', category: '公共照明', communityId, requestId, sequence: 1 },
    })
    const [row] = await rowsOf(integrationId)
    expect(row).toMatchObject({ status: 'delivered', attempts: 1 })
    expect(await attemptsOf(integrationId)).toMatchObject([
      { messageId: got.id, attempt: 1, statusCode: 204, outcome: 'delivered', error: null },
    ])
    // nothing is sent for a community the integration does not serve
    expect(await emit(world.b.id, nextRequestId++, 1)).toBe(0)
    await integrations.revoke(integrationId)
  })

  it('receiver down, then up: every event arrives, none lost, order recoverable by sequence, same webhook-ids on retry', async () => {
    const { communityId, integrationId, receiver } = await outboundSetup()
    await receiver.down()
    const r1 = nextRequestId++
    const r2 = nextRequestId++
    for (let seq = 1; seq <= 4; seq++) {
      await emit(communityId, r1, seq, seq === 1 ? 'service_request.created' : 'service_request.updated', { step: seq })
      if (seq <= 2) await emit(communityId, r2, seq, seq === 1 ? 'service_request.created' : 'service_request.updated')
    }
    const started = Date.now()
    await dispatch()
    let rows = await rowsOf(integrationId)
    expect(rows).toHaveLength(6)
    for (const r of rows) {
      expect(r).toMatchObject({ status: 'pending', attempts: 1 })
      // second attempt 5 s later (± 10 % jitter)
      const delay = r.nextAttemptAt.getTime() - started
      expect(delay).toBeGreaterThanOrEqual(4400)
      expect(delay).toBeLessThan(5600 + (Date.now() - started))
    }
    const failedIds = (await attemptsOf(integrationId)).map((a) => a.messageId).sort()
    expect(
      (await attemptsOf(integrationId)).every((a) => a.outcome === 'retry' && a.statusCode === null && a.error),
    ).toBe(true)

    await receiver.up()
    await makeDue(integrationId)
    await dispatch()
    rows = await rowsOf(integrationId)
    expect(rows.every((r) => r.status === 'delivered' && r.attempts === 2)).toBe(true)
    const ids = receiver.received.map((m) => m.id)
    expect(new Set(ids).size).toBe(6)
    expect([...ids].sort()).toEqual(failedIds) // retries kept the webhook-id
    const seqOf = (req: number) =>
      receiver.received
        .filter((m) => m.payload.data.requestId === req)
        .map((m) => m.payload.data.sequence)
        .sort((a, b) => a! - b!)
    expect(seqOf(r1)).toEqual([1, 2, 3, 4])
    expect(seqOf(r2)).toEqual([1, 2])
    await integrations.revoke(integrationId)
  })

  it('follows the retry schedule, dead after the 10th attempt, then redelivered (admin API) with the same id', async () => {
    const { communityId, integrationId, receiver } = await outboundSetup()
    receiver.reply = { status: 500, body: 'boom' }
    await emit(communityId, nextRequestId++, 1)
    for (let attempt = 1; attempt <= 10; attempt++) {
      const before = Date.now()
      if (attempt > 1) await makeDue(integrationId)
      await dispatch()
      const [row] = await rowsOf(integrationId)
      expect(row!.attempts).toBe(attempt)
      if (attempt < 10) {
        expect(row!.status).toBe('pending')
        const delay = row!.nextAttemptAt.getTime() - before
        const planned = RETRY_SCHEDULE_MS[attempt]!
        expect(delay, `after attempt ${attempt}`).toBeGreaterThanOrEqual(planned * 0.9 - 50)
        expect(delay, `after attempt ${attempt}`).toBeLessThanOrEqual(planned * 1.1 + (Date.now() - before) + 50)
      } else {
        expect(row!.status).toBe('dead')
      }
    }
    const attempts = await attemptsOf(integrationId)
    expect(attempts).toHaveLength(10)
    expect(attempts.map((a) => a.statusCode)).toEqual(Array(10).fill(500))
    expect(attempts.at(-1)).toMatchObject({ attempt: 10, outcome: 'dead', error: 'HTTP 500: boom' })
    expect(receiver.hits).toBe(10)
    expect(receiver.received).toHaveLength(0)

    // only a platform admin may redeliver
    const url = `/api/v1/admin/webhooks/integrations/${integrationId}/redeliver`
    expect((await world.people.committeeA.inject({ method: 'POST', url, payload: { dead: true } })).statusCode).toBe(
      403,
    )
    receiver.reply = null
    const res = await world.people.admin.inject({ method: 'POST', url, payload: { dead: true } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ requeued: 1 })
    await dispatch()
    expect((await rowsOf(integrationId))[0]).toMatchObject({ status: 'delivered', attempts: 1 })
    expect(receiver.received.map((m) => m.id)).toEqual([attempts[0]!.messageId])
    // nothing dead is left
    expect((await world.people.admin.inject({ method: 'POST', url, payload: { dead: true } })).json()).toEqual({
      requeued: 0,
    })
    // the support view lists every attempt
    const log = await world.people.admin.inject({
      method: 'GET',
      url: `/api/v1/admin/webhooks/integrations/${integrationId}/attempts?limit=100`,
    })
    expect(log.json().items).toHaveLength(11)
    expect(log.json().items[0]).toMatchObject({ attempt: 1, outcome: 'delivered', statusCode: 204 })
    // a single message can be sent again by id too
    const again = await world.people.admin.inject({
      method: 'POST',
      url,
      payload: { messageId: attempts[0]!.messageId },
    })
    expect(again.json()).toEqual({ requeued: 1 })
    await dispatch()
    expect(receiver.received.map((m) => m.id)).toEqual([attempts[0]!.messageId, attempts[0]!.messageId])
    await integrations.revoke(integrationId)
  })

  it('honours Retry-After (seconds or HTTP date) on 429 / 503', async () => {
    const { communityId, integrationId, receiver } = await outboundSetup()
    receiver.replyTimes({ status: 429, headers: { 'retry-after': '120' } }, 1)
    await emit(communityId, nextRequestId++, 1)
    let before = Date.now()
    await dispatch()
    let [row] = await rowsOf(integrationId)
    expect(row).toMatchObject({ status: 'pending', attempts: 1 })
    expect(row!.nextAttemptAt.getTime() - before).toBeGreaterThanOrEqual(119_000)
    expect(row!.nextAttemptAt.getTime() - before).toBeLessThanOrEqual(121_000 + (Date.now() - before))

    const until = new Date(Date.now() + 3_600_000)
    receiver.replyTimes({ status: 503, headers: { 'retry-after': until.toUTCString() } }, 1)
    await makeDue(integrationId)
    before = Date.now()
    await dispatch()
    ;[row] = await rowsOf(integrationId)
    expect(row).toMatchObject({ status: 'pending', attempts: 2 })
    expect(Math.abs(row!.nextAttemptAt.getTime() - until.getTime())).toBeLessThan(1500)
    expect((await attemptsOf(integrationId)).map((a) => a.statusCode)).toEqual([429, 503])

    // a 3xx is not followed: it is a failure
    receiver.replyTimes({ status: 302, headers: { location: 'http://169.254.169.254/' } }, 1)
    await makeDue(integrationId)
    await dispatch()
    ;[row] = await rowsOf(integrationId)
    expect(row).toMatchObject({ status: 'pending', attempts: 3 })
    expect(receiver.hits).toBe(3)
    await makeDue(integrationId)
    await dispatch()
    expect((await rowsOf(integrationId))[0]).toMatchObject({ status: 'delivered', attempts: 4 })
    await integrations.revoke(integrationId)
  })

  it('410 disables the integration (audited) and stops deliveries; a new URL re-enables and dead messages can be redelivered', async () => {
    const { communityId, integrationId, receiver } = await outboundSetup()
    const waiting = nextRequestId++
    await emit(communityId, waiting, 1)
    await env.db
      .update(outbox)
      .set({ nextAttemptAt: new Date(Date.now() + 60_000) })
      .where(like(outbox.dedupeKey, `wh:${integrationId}:%`))
    receiver.replyTimes({ status: 410 }, 1)
    await emit(communityId, nextRequestId++, 1)
    await dispatch()
    expect(receiver.hits).toBe(1)
    const [integration] = await env.db
      .select()
      .from(webhookIntegrations)
      .where(eq(webhookIntegrations.id, integrationId))
    expect(integration).toMatchObject({ status: 'disabled', statusReason: expect.stringContaining('410') })
    const audit = await env.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.stream, `webhook:${integrationId}`))
    expect(audit.map((a) => a.action)).toEqual(['webhook.integration_created', 'webhook.integration_disabled'])
    let rows = await rowsOf(integrationId)
    expect(rows.map((r) => r.status)).toEqual(['pending', 'dead'])

    // no new messages are queued, and the waiting one is not sent
    expect(await emit(communityId, nextRequestId++, 1)).toBe(0)
    await makeDue(integrationId)
    await dispatch()
    expect(receiver.hits).toBe(1)
    rows = await rowsOf(integrationId)
    expect(rows.map((r) => r.status)).toEqual(['dead', 'dead'])

    await expect(integrations.redeliver(integrationId, { dead: true })).rejects.toMatchObject({
      code: 'INVALID_TRANSITION',
    })
    await integrations.setUrl(integrationId, receiver.url)
    expect(await integrations.redeliver(integrationId, { dead: true })).toBe(2)
    await dispatch()
    expect((await rowsOf(integrationId)).map((r) => r.status)).toEqual(['delivered', 'delivered'])
    expect(receiver.received.map((m) => m.payload.data.requestId)).toContain(waiting)
    await integrations.revoke(integrationId)
  })

  it('rotation: signs with the new and the old secret during the grace period, then only the new', async () => {
    const { communityId, integrationId, secret: oldSecret, receiver } = await outboundSetup()
    const { secret: newSecret, previousValidUntil } = await integrations.rotate(integrationId, { graceHours: 24 })
    expect(newSecret).toMatch(/^whsec_/)
    expect(newSecret).not.toBe(oldSecret)
    expect(previousValidUntil.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000)
    // the receiver still has the old secret: verifies
    await emit(communityId, nextRequestId++, 1)
    await dispatch()
    expect(receiver.received).toHaveLength(1)
    expect(receiver.received[0]!.signature.split(' ')).toHaveLength(2)
    // the receiver switched to the new one: verifies too
    receiver.secrets = [newSecret]
    await emit(communityId, nextRequestId++, 1)
    await dispatch()
    expect(receiver.received).toHaveLength(2)
    // grace over: one signature, the old secret no longer matches
    await env.db
      .update(webhookIntegrations)
      .set({ prevSecretUntil: new Date(Date.now() - 1000) })
      .where(eq(webhookIntegrations.id, integrationId))
    receiver.secrets = [oldSecret]
    await emit(communityId, nextRequestId++, 1)
    await dispatch()
    expect(receiver.received).toHaveLength(2)
    expect(receiver.refused).toHaveLength(1)
    expect(String(receiver.refused[0]!.headers['webhook-signature']).split(' ')).toHaveLength(1)
    // secrets are stored encrypted only
    const [row] = await env.db.select().from(webhookIntegrations).where(eq(webhookIntegrations.id, integrationId))
    for (const s of [oldSecret, newSecret]) {
      expect(JSON.stringify(row)).not.toContain(s)
      expect(JSON.stringify(row)).not.toContain(s.slice(6, 30))
    }
    expect(env.protector.decrypt(row!.secretEnc)).toBe(newSecret)
    await integrations.revoke(integrationId)
  })
})

// ---- inbound -------------------------------------------------------------------------------------------

describe('inbound POST /webhooks/property/:integrationId', () => {
  let intA: { id: string; secret: string }
  let intAB: { id: string; secret: string }

  beforeAll(async () => {
    intA = await integrations.create({ propertyCompanyId: companyId, communityIds: [world.a.id], eventTypes: [] })
    intAB = await integrations.create({
      propertyCompanyId: companyId,
      communityIds: [world.a.id, world.b.id],
      eventTypes: [],
    })
  })

  it('notice.published: stored once per webhook-id, shown to the residents of that community only', async () => {
    const payload = event('notice.published', {
      title: '停水通知',
      body: '5月3日9:00-12:00 2栋停水检修。',
      buildings: ['2栋'],
    })
    const res = await send(intA.id, intA.secret, payload)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      received: true,
      duplicate: false,
      result: { communityId: world.a.id, noticeId: expect.any(Number) },
    })
    const noticesBefore = await count(notices)
    // replay: same webhook-id, 200, applied once
    const replay = await send(intA.id, intA.secret, payload, { msgId: res.msgId })
    expect(replay.statusCode).toBe(200)
    expect(replay.json()).toEqual({ received: true, duplicate: true, result: res.json().result })
    expect(await count(notices)).toBe(noticesBefore)
    // a second, different message with the same content is a second notice (dedupe is by id, not content)
    expect((await send(intA.id, intA.secret, payload)).statusCode).toBe(200)

    const list = await world.people.residentA.inject({
      method: 'GET',
      url: `/api/v1/communities/${world.a.id}/notices`,
    })
    expect(list.statusCode).toBe(200)
    expect(list.json().items[0]).toMatchObject({
      source: 'property',
      propertyCompanyName: '安居物业',
      title: '停水通知',
      buildings: ['2栋'],
    })
    expect(list.json().items).toHaveLength(2)
    expect(
      (await world.people.committeeA.inject({ method: 'GET', url: `/api/v1/communities/${world.a.id}/notices` }))
        .statusCode,
    ).toBe(200)
    expect(
      (await world.people.admin.inject({ method: 'GET', url: `/api/v1/communities/${world.a.id}/notices` })).statusCode,
    ).toBe(200)
    for (const who of [world.people.residentB, world.people.outsider]) {
      const denied = await who.inject({ method: 'GET', url: `/api/v1/communities/${world.a.id}/notices` })
      expect(denied.statusCode).toBe(403)
      expect(denied.json().error.code).toBe('FORBIDDEN')
    }
    expect(
      (await world.people.residentB.inject({ method: 'GET', url: `/api/v1/communities/${world.b.id}/notices` })).json()
        .items,
    ).toEqual([])
    // newest first, paged
    const page = await world.people.residentA.inject({
      method: 'GET',
      url: `/api/v1/communities/${world.a.id}/notices?limit=1`,
    })
    expect(page.json().items).toHaveLength(1)
    const next = await world.people.residentA.inject({
      method: 'GET',
      url: `/api/v1/communities/${world.a.id}/notices?limit=1&before=${page.json().items[0].id}`,
    })
    expect(next.json().items[0].id).toBeLessThan(page.json().items[0].id)
  })

  it('refuses forged, unsigned, stale, unknown and revoked — 401 without saying which ids exist — and changes nothing', async () => {
    const before = { notices: await count(notices), inbox: await count(webhookInbox) }
    const payload = event('notice.published', { title: '伪造', body: '伪造的公告' })
    const forged = await send(intA.id, `whsec_${randomBytes(32).toString('base64')}`, payload)
    expect(forged.statusCode).toBe(401)
    expect(forged.json().error.code).toBe('WEBHOOK_SIGNATURE_INVALID')

    // body changed after signing
    const s = signed(intA.secret, payload)
    const tampered = await env.app.inject({
      method: 'POST',
      url: `/webhooks/property/${intA.id}`,
      headers: s.headers,
      payload: s.body.replace('伪造的公告', '篡改的公告'),
    })
    expect(tampered.json().error.code).toBe('WEBHOOK_SIGNATURE_INVALID')

    const unsigned = await env.app.inject({
      method: 'POST',
      url: `/webhooks/property/${intA.id}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    })
    expect(unsigned.statusCode).toBe(401)
    expect(unsigned.json().error.code).toBe('WEBHOOK_SIGNATURE_INVALID')

    for (const minutes of [-6, 6]) {
      const stale = await send(intA.id, intA.secret, payload, { at: new Date(Date.now() + minutes * 60_000) })
      expect(stale.statusCode).toBe(401)
      expect(stale.json().error.code).toBe('WEBHOOK_TIMESTAMP_OUT_OF_RANGE')
    }
    // within tolerance is fine (clock skew)
    const skewed = await send(
      intA.id,
      intA.secret,
      event('notice.published', { title: '时钟偏差', body: '4 分钟内可以' }),
      { at: new Date(Date.now() - 4 * 60_000) },
    )
    expect(skewed.statusCode).toBe(200)
    before.notices++
    before.inbox++

    const unknown = await send('int_00000000000000000000', intA.secret, payload)
    expect(unknown.statusCode).toBe(401)
    expect(unknown.json().error).toEqual(forged.json().error)
    const revokedOne = await integrations.create({
      propertyCompanyId: companyId,
      communityIds: [world.a.id],
      eventTypes: [],
    })
    await integrations.revoke(revokedOne.id)
    const revoked = await send(revokedOne.id, revokedOne.secret, payload)
    expect(revoked.statusCode).toBe(401)
    expect(revoked.json().error).toEqual(forged.json().error)

    expect(await count(notices)).toBe(before.notices)
    expect(await count(webhookInbox)).toBe(before.inbox)
  })

  it('413 over 1 MB, 415 for other media types, 400 naming the field for bad JSON or schema', async () => {
    const before = { notices: await count(notices), inbox: await count(webhookInbox) }
    const big = await send(
      intA.id,
      intA.secret,
      event('notice.published', { title: '大', body: 'x'.repeat(1024 * 1024) }),
    )
    expect(big.statusCode).toBe(413)
    expect(big.json().error.code).toBe('PAYLOAD_TOO_LARGE')

    const text = await env.app.inject({
      method: 'POST',
      url: `/webhooks/property/${intA.id}`,
      headers: { ...signed(intA.secret, {}).headers, 'content-type': 'text/plain' },
      payload: '{}',
    })
    expect(text.statusCode).toBe(415)

    const broken = await send(intA.id, intA.secret, null, { raw: '{"type":"notice.published",' })
    expect(broken.statusCode).toBe(400)
    expect(broken.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/^body: /) })

    const cases: [unknown, string][] = [
      [{ type: 'notice.published', data: { title: 't', body: 'b' } }, 'timestamp'],
      [{ type: 'notice.published', timestamp: 'yesterday', data: { title: 't', body: 'b' } }, 'timestamp'],
      [event('notice.published', { body: '没有标题' }), 'data.title'],
      [event('notice.published', { title: 't'.repeat(101), body: 'b' }), 'data.title'],
      [event('notice.published', { title: 't', body: 'b', buildings: [''] }), 'data.buildings.0'],
      [event('notice.published', { title: 't', body: 'b', extra: 1 }), 'data.extra'],
      [
        event('roster.units_upserted', {
          units: [
            {
              building: '1栋',
              unit: '101',
              kind: 'residence',
              area: '89.5',
              areaSource: 'register',
              owners: [{ name: '王五', phone: '12345' }],
            },
          ],
        }),
        'data.units.0.owners.0.phone',
      ],
      [event('roster.units_upserted', { units: [] }), 'data.units'],
      [event('service_request.status_changed', { requestId: 'abc', status: 'done' }), 'data.requestId'],
    ]
    for (const [payload, field] of cases) {
      const res = await send(intA.id, intA.secret, payload)
      expect(res.statusCode, field).toBe(400)
      expect(res.json().error.code, field).toBe('VALIDATION_FAILED')
      expect(res.json().error.message.split(':')[0], JSON.stringify(res.json())).toBe(field)
    }
    const unknownType = await send(intA.id, intA.secret, event('parking.fee_changed', {}))
    expect(unknownType.statusCode).toBe(400)
    expect(unknownType.json().error.code).toBe('WEBHOOK_EVENT_UNSUPPORTED')

    expect(await count(notices)).toBe(before.notices)
    expect(await count(webhookInbox)).toBe(before.inbox)
  })

  it("refuses another community's communityId, and asks for one when the integration serves several", async () => {
    const before = await count(notices)
    const other = await send(
      intA.id,
      intA.secret,
      event('notice.published', { communityId: world.b.id, title: '越界', body: '不该出现在B小区' }),
    )
    expect(other.statusCode).toBe(404)
    expect(other.json().error.code).toBe('NOT_FOUND')
    const ambiguous = await send(intAB.id, intAB.secret, event('notice.published', { title: '哪个小区', body: '?' }))
    expect(ambiguous.statusCode).toBe(400)
    expect(ambiguous.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/^data\.communityId/),
    })
    expect(await count(notices)).toBe(before)
    // a refused id was not recorded as processed: the same id, corrected, is applied
    const ok = await send(
      intAB.id,
      intAB.secret,
      event('notice.published', { communityId: world.b.id, title: 'B小区公告', body: '正文' }),
      { msgId: ambiguous.msgId },
    )
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toMatchObject({ duplicate: false, result: { communityId: world.b.id } })
    expect(
      (await world.people.residentB.inject({ method: 'GET', url: `/api/v1/communities/${world.b.id}/notices` }))
        .json()
        .items.map((n: { title: string }) => n.title),
    ).toEqual(['B小区公告'])
  })

  it('roster.units_upserted: the CSV import path (idempotent, verifies a pending owner whose phone matches)', async () => {
    const li = await login(env, 'openid-webhook-li')
    expect(
      (
        await li.inject({
          method: 'POST',
          url: '/api/v1/me/phone',
          payload: { code: await phoneCode(env, '13855550001') },
        })
      ).statusCode,
    ).toBe(200)
    const uid = await unitId(env, world.a.id, '2栋', '201')
    const applied = await li.inject({
      method: 'POST',
      url: '/api/v1/memberships',
      payload: { unitId: uid, relation: 'owner' },
    })
    expect(applied.json().state).toBe('pending')

    const payload = event('roster.units_upserted', {
      units: [
        {
          building: '2栋',
          unit: '201',
          kind: 'residence',
          area: '95.20',
          areaSource: 'register',
          owners: [{ name: '李四', phone: '13855550001' }],
        },
        { building: '5栋', unit: '101', kind: '车位', area: 12.5, areaSource: '实测', owners: [{ name: '赵六' }] },
        {
          building: '5栋',
          unit: '102',
          kind: 'residence',
          area: '0',
          areaSource: 'register',
          owners: [{ name: '钱七' }],
        },
      ],
    })
    const res = await send(intA.id, intA.secret, payload)
    expect(res.statusCode).toBe(200)
    expect(res.json().result).toEqual({
      communityId: world.a.id,
      created: 1,
      updated: 1,
      unchanged: 0,
      rejected: [{ line: 3, reason: expect.stringMatching(/^area/) }],
      verifiedMemberships: 1,
    })
    const [m] = await env.db.select().from(memberships).where(eq(memberships.id, applied.json().id))
    expect(m).toMatchObject({ state: 'verified', method: 'roster_phone' })

    // replay: nothing twice; a new message with the same units: unchanged (the import is idempotent)
    expect((await send(intA.id, intA.secret, payload, { msgId: res.msgId })).json()).toMatchObject({
      duplicate: true,
      result: res.json().result,
    })
    const again = await send(intA.id, intA.secret, payload)
    expect(again.json().result).toMatchObject({ created: 0, updated: 0, unchanged: 2, verifiedMemberships: 0 })
    const audit = await env.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.stream, `community:${world.a.id}`), eq(auditEvents.action, 'roster.imported')))
    expect(audit.at(-1)!.data).toMatchObject({ source: expect.stringContaining(intA.id) })
  })

  it('service_request.status_changed goes to the registered handler, in the dedupe transaction (409 rolls back)', async () => {
    const payload = event('service_request.status_changed', {
      requestId: 77,
      status: 'done',
      handler: { name: '张师傅', phone: '13912345678' },
    })
    // the app registers the service-requests module's handler; this test swaps in a stand-in on the same app
    expect(registeredInboundHandler(env.app, 'service_request.status_changed')).toBeDefined()
    // a stand-in for the service-requests module: request 77 is in community A, 78 in B
    const seen: unknown[] = []
    const standIn: InboundHandler = async (tx, data, ctx) => {
      const d = data as { requestId: number; status: string }
      seen.push({ data, ctx })
      const communityOf: Record<number, number> = { 77: world.a.id, 78: world.b.id }
      if (!ctx.communityIds.includes(communityOf[d.requestId] ?? -1))
        return { ok: false, status: 404, code: 'NOT_FOUND', message: 'no such request' }
      // writes first, then refuses: the write must be rolled back with the dedupe row
      await tx.insert(notices).values({
        communityId: world.a.id,
        source: 'property',
        title: 'side effect',
        body: d.status,
        publishedAt: new Date(),
      })
      if (d.status !== 'done')
        return { ok: false, status: 409, code: 'INVALID_TRANSITION', message: `cannot go to ${d.status}` }
      return { ok: true, result: { requestId: d.requestId, status: d.status } }
    }
    registerInboundHandler(env.app, 'service_request.status_changed', standIn)
    const before = { notices: await count(notices), inbox: await count(webhookInbox) }
    const bad = await send(
      intA.id,
      intA.secret,
      event('service_request.status_changed', { requestId: 77, status: 'reopened' }),
    )
    expect(bad.statusCode).toBe(409)
    expect(bad.json().error.code).toBe('INVALID_TRANSITION')
    const elsewhere = await send(
      intA.id,
      intA.secret,
      event('service_request.status_changed', { requestId: 78, status: 'done' }),
    )
    expect(elsewhere.statusCode).toBe(404)
    expect(await count(notices)).toBe(before.notices)
    expect(await count(webhookInbox)).toBe(before.inbox)

    const ok = await send(intA.id, intA.secret, payload)
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toEqual({ received: true, duplicate: false, result: { requestId: 77, status: 'done' } })
    expect(seen.at(-1)).toEqual({
      data: payload.data,
      ctx: { integrationId: intA.id, propertyCompanyId: companyId, communityIds: [world.a.id], webhookId: ok.msgId },
    })
    const calls = seen.length
    expect((await send(intA.id, intA.secret, payload, { msgId: ok.msgId })).json().duplicate).toBe(true)
    expect(seen).toHaveLength(calls)
  })

  it('concurrent deliveries of one webhook-id apply it once', async () => {
    const before = await count(notices)
    const s = signed(intA.secret, event('notice.published', { title: '并发', body: '同一条消息同时到达' }))
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        env.app.inject({ method: 'POST', url: `/webhooks/property/${intA.id}`, headers: s.headers, payload: s.body }),
      ),
    )
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200])
    expect(results.filter((r) => r.json().duplicate === false)).toHaveLength(1)
    expect(await count(notices)).toBe(before + 1)
  })

  it('accepts the old secret during a rotation, not after the grace period', async () => {
    const rotating = await integrations.create({
      propertyCompanyId: companyId,
      communityIds: [world.a.id],
      eventTypes: [],
    })
    const { secret: fresh } = await integrations.rotate(rotating.id, { graceHours: 1 })
    expect(
      (await send(rotating.id, rotating.secret, event('notice.published', { title: '旧密钥', body: '轮换期内' })))
        .statusCode,
    ).toBe(200)
    expect(
      (await send(rotating.id, fresh, event('notice.published', { title: '新密钥', body: '轮换期内' }))).statusCode,
    ).toBe(200)
    await env.db
      .update(webhookIntegrations)
      .set({ prevSecretUntil: new Date(Date.now() - 1000) })
      .where(eq(webhookIntegrations.id, rotating.id))
    expect(
      (await send(rotating.id, rotating.secret, event('notice.published', { title: '旧密钥', body: '过期' })))
        .statusCode,
    ).toBe(401)
    expect(
      (await send(rotating.id, fresh, event('notice.published', { title: '新密钥', body: '过期后' }))).statusCode,
    ).toBe(200)
  })

  it('rate-limits per integration', async () => {
    const limited = await env.newApp({ WEBHOOK_RATE_LIMIT_MAX: '3', SCHEDULER_ENABLED: 'false' })
    const id = `int_${randomBytes(10).toString('hex')}`
    const codes: number[] = []
    for (let i = 0; i < 4; i++)
      codes.push(
        (await send(id, intA.secret, event('notice.published', { title: 't', body: 'b' }), {}, limited)).statusCode,
      )
    expect(codes).toEqual([401, 401, 401, 429])
    // another integration has its own budget
    expect(
      (
        await send(
          intAB.id,
          intAB.secret,
          event('notice.published', { communityId: world.a.id, title: 't', body: 'b' }),
          {},
          limited,
        )
      ).statusCode,
    ).toBe(200)
  })
})

// ---- the command -------------------------------------------------------------------------------------

describe('integrations command', () => {
  it('creates (printing the id and a whsec_ secret once), lists, rotates, revokes; refuses private URLs without the dev flag', async () => {
    const tsx = `${REPO_ROOT}bff/node_modules/.bin/tsx`
    const vars = { ...env.vars, WEBHOOK_ALLOW_PRIVATE_URLS: 'false' }
    const cli = (...args: string[]) =>
      run(tsx, ['src/cli/integrations.ts', ...args], { cwd: `${REPO_ROOT}bff`, env: vars })
    const created = await cli(
      'create',
      '--company',
      String(companyId),
      '--community',
      String(world.a.id),
      '--events',
      'service_request.created,service_request.urged',
    )
    const id = /integration (int_[0-9a-f]+) created/.exec(created.stdout)?.[1]
    const secret = /(whsec_[A-Za-z0-9+/=]+)/.exec(created.stdout)?.[1]
    expect(id).toBeDefined()
    expect(secret).toBeDefined()
    const [row] = await env.db.select().from(webhookIntegrations).where(eq(webhookIntegrations.id, id!))
    expect(env.protector.decrypt(row!.secretEnc)).toBe(secret)
    const listed = await cli('list')
    expect(listed.stdout).toContain(id)
    expect(listed.stdout).not.toContain('whsec_')
    await expect(cli('set-url', '--integration', id!, '--url', 'https://169.254.169.254/latest')).rejects.toThrow(
      /WEBHOOK_URL_REFUSED/,
    )
    await expect(cli('set-url', '--integration', id!, '--url', 'http://127.0.0.1:9999/')).rejects.toThrow(
      /WEBHOOK_URL_REFUSED/,
    )
    const rotated = await cli('rotate', '--integration', id!)
    expect(rotated.stdout).toMatch(/whsec_/)
    expect(rotated.stdout).not.toContain(secret)
    expect((await cli('list')).stdout).toMatch(/previous secret valid until/)
    await cli('revoke', '--integration', id!)
    expect((await env.db.select().from(webhookIntegrations).where(eq(webhookIntegrations.id, id!)))[0]!.status).toBe(
      'revoked',
    )
    await expect(
      cli('create', '--company', String(companyId), '--community', String(world.a.id), '--events', 'no.such_event'),
    ).rejects.toThrow(/unknown event type/)
  }, 60_000)
})
