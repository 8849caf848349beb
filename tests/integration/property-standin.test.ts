import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AddressInfo } from 'node:net'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { Webhook } from 'standardwebhooks'
import { srEvents } from '@linli/bff/db/schema'
import { integrationService } from '@linli/bff/modules/webhooks/service'
import { OUTBOUND_EVENT_TYPES } from '@linli/shared/schemas/webhooks'
import {
  createPropertyStandin,
  type PropertyStandin,
  type StandinEvent,
  type StandinRequest,
} from '@linli/bff/adapters/property/standin'
import { startTestEnv, type TestEnv } from '../helpers/app'
import { buildWorld, type World } from '../helpers/world'
import { categoriesApi, contractCompany, jpegWithGps, multipart, photoApi, srApi } from './service-requests-fixtures'

/**
 * The property company's local stand-in (used by the demo and the e2e test) against a real BFF listening on a
 * port, MariaDB and Redis: our outbound webhooks reach it and verify, its signed status pushes move the request,
 * the BFF's refusals come back through it, and a forged delivery to it is refused.
 */
let env: TestEnv
let w: World
let uploadDir: string
let standin: PropertyStandin
let standinBase: string
let integration: { id: string; secret: string }
// biome-ignore lint/suspicious/noExplicitAny: response bodies read field by field in assertions
type Json = Record<string, any>

beforeAll(async () => {
  uploadDir = await mkdtemp(join(tmpdir(), 'linli-standin-test-'))
  env = await startTestEnv({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', SCHEDULER_ENABLED: 'false', UPLOAD_DIR: uploadDir })
  await env.app.listen({ port: 0, host: '127.0.0.1' })
  const bffBaseUrl = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`
  w = await buildWorld(env)
  const companyId = await contractCompany(env, w.a.id, '替身物业')

  // the stand-in needs the secret and the integration the stand-in's URL: create, listen, then set the URL
  const service = integrationService({ db: env.db, protector: env.protector, config: env.config })
  integration = await service.create({
    propertyCompanyId: companyId,
    communityIds: [w.a.id],
    eventTypes: [...OUTBOUND_EVENT_TYPES],
  })
  standin = createPropertyStandin({ bffBaseUrl, integrationId: integration.id, secret: integration.secret })
  await new Promise<void>((resolve) => standin.listen(0, '127.0.0.1', resolve))
  standinBase = `http://127.0.0.1:${(standin.address() as AddressInfo).port}`
  await service.setUrl(integration.id, `${standinBase}/webhooks`)
})
afterAll(async () => {
  if (standin) await new Promise((r) => standin.close(r))
  await env?.close()
  if (uploadDir) await rm(uploadDir, { recursive: true, force: true })
})

const get = async <T>(path: string): Promise<T> => (await (await fetch(`${standinBase}${path}`)).json()) as T
async function push(requestId: number, body: Json) {
  const res = await fetch(`${standinBase}/__standin/requests/${requestId}/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Json }
}

async function file(description: string): Promise<Json> {
  const photo = multipart(jpegWithGps())
  const up = await w.people.residentA.inject({
    method: 'POST',
    url: photoApi(w.a.id),
    payload: photo.payload,
    headers: photo.headers,
  })
  expect(up.statusCode, up.body).toBe(201)
  const cats = (await w.people.residentA.inject({ method: 'GET', url: categoriesApi(w.a.id) })).json().items as Json[]
  const res = await w.people.residentA.inject({
    method: 'POST',
    url: srApi(w.a.id),
    payload: {
      categoryId: cats.find((c) => c.name === '公共维修')!.id,
      description,
      location: { kind: 'building', buildingId: w.a.buildingId, detail: '2单元3楼' },
      answers: { facility: 'lighting' },
      photoIds: [up.json().id],
      sharePhone: false,
      contactTime: '工作日晚上',
    },
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}

describe('the property stand-in', () => {
  it('refuses to start in production', () => {
    const before = process.env.NODE_ENV
    process.env.NODE_ENV = 'production'
    try {
      expect(() =>
        createPropertyStandin({ bffBaseUrl: 'http://127.0.0.1:1', integrationId: 'x', secret: integration.secret }),
      ).toThrow(/production/)
    } finally {
      process.env.NODE_ENV = before
    }
  })

  it('receives a filed request, pushes accepted → in_progress → resolved, and the resident sees the timeline', async () => {
    const r = await file('楼道灯不亮了 <script>alert(1)</script>')
    expect(await get<StandinEvent[]>('/__standin/events')).toEqual([])
    await env.app.outbox.dispatchDue()

    const events = await get<StandinEvent[]>('/__standin/events')
    const created = events.find((e) => e.type === 'service_request.created' && e.data.requestId === r.id)
    expect(created, JSON.stringify(events)).toBeDefined()
    expect(created!.webhookId).toBe(`msg_sr${r.id}_1`)
    expect(created!.data).toMatchObject({
      requestId: r.id,
      sequence: 1,
      status: 'submitted',
      description: '楼道灯不亮了 <script>alert(1)</script>',
      contactTime: '工作日晚上',
      communityId: w.a.id,
    })
    expect((created!.data.photos as Json[])[0]!.url).toMatch(
      /^https?:\/\/.+\/api\/v1\/media\/photos\/\d+\?exp=\d+&sig=/,
    )
    const seen = (await get<StandinRequest[]>('/__standin/requests')).find((q) => q.requestId === r.id)
    expect(seen).toMatchObject({ requestId: r.id, sequence: 1, lastType: 'service_request.created' })

    const accepted = await push(r.id, { status: 'accepted', note: '已受理，马上安排' })
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200)
    expect(accepted.body).toMatchObject({
      received: true,
      duplicate: false,
      result: { requestId: r.id, status: 'accepted', sequence: 2 },
    })
    expect(
      (await push(r.id, { status: 'in_progress', handler: { name: '王师傅', phone: '13800138000' } })).status,
    ).toBe(200)
    expect((await push(r.id, { status: 'resolved', note: '已更换灯泡' })).status).toBe(200)

    const detail = (await w.people.residentA.inject({ method: 'GET', url: srApi(w.a.id, `/${r.id}`) })).json()
    expect(detail.status).toBe('resolved')
    expect(detail.timeline.map((e: Json) => [e.action, e.toStatus, e.actorKind, e.actorName, e.note])).toEqual([
      ['file', 'submitted', 'resident', expect.anything(), null],
      ['accept', 'accepted', 'property', '替身物业', '已受理，马上安排'],
      ['start', 'in_progress', 'property', '替身物业 王师傅', null],
      ['resolve', 'resolved', 'property', '替身物业', '已更换灯泡'],
    ])

    // the BFF's own updates come back to the stand-in, in sequence
    await env.app.outbox.dispatchDue()
    const latest = (await get<StandinRequest[]>('/__standin/requests')).find((q) => q.requestId === r.id)!
    expect(latest).toMatchObject({ sequence: 4, lastType: 'service_request.updated' })
    expect(latest.data.status).toBe('resolved')
    const seqs = (await get<StandinEvent[]>('/__standin/events'))
      .filter((e) => e.data.requestId === r.id)
      .map((e) => e.data.sequence)
    expect([...seqs].sort()).toEqual([1, 2, 3, 4])
  })

  it('passes the BFF refusal back: an invalid transition is 409 INVALID_TRANSITION and changes nothing', async () => {
    const r = await file('垃圾桶满了')
    const before = await env.db.select().from(srEvents).where(eq(srEvents.requestId, r.id))
    const skip = await push(r.id, { status: 'resolved' })
    expect(skip.status).toBe(409)
    expect(skip.body.error.code).toBe('INVALID_TRANSITION')
    const reject = await push(r.id, { status: 'rejected' }) // a rejection needs a reason
    expect(reject.status).toBe(400)
    expect(await env.db.select().from(srEvents).where(eq(srEvents.requestId, r.id))).toEqual(before)
    const missing = await fetch(`${standinBase}/__standin/requests/${r.id}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect(missing.status).toBe(400)
  })

  it('refuses forged, unsigned and stale deliveries with 401 and stores nothing; accepts the reference library’s', async () => {
    const count = (await get<StandinEvent[]>('/__standin/events')).length
    const body = JSON.stringify({
      type: 'service_request.created',
      timestamp: new Date().toISOString(),
      data: { requestId: 999999, sequence: 1 },
    })
    const deliver = (headers: Record<string, string>) =>
      fetch(`${standinBase}/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      })
    const now = new Date()
    const forged = new Webhook(`whsec_${randomBytes(32).toString('base64')}`).sign('msg_forged', now, body)
    expect(
      (
        await deliver({
          'webhook-id': 'msg_forged',
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': forged,
        })
      ).status,
    ).toBe(401)
    expect((await deliver({})).status).toBe(401)
    const old = new Date(Date.now() - 10 * 60_000)
    const stale = new Webhook(integration.secret).sign('msg_stale', old, body)
    expect(
      (
        await deliver({
          'webhook-id': 'msg_stale',
          'webhook-timestamp': String(Math.floor(old.getTime() / 1000)),
          'webhook-signature': stale,
        })
      ).status,
    ).toBe(401)
    expect((await get<StandinEvent[]>('/__standin/events')).length).toBe(count)

    const good = new Webhook(integration.secret).sign('msg_good', now, body)
    expect(
      (
        await deliver({
          'webhook-id': 'msg_good',
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': good,
        })
      ).status,
    ).toBe(204)
    expect((await get<StandinEvent[]>('/__standin/events')).length).toBe(count + 1)
  })

  it('serves a self-contained Chinese page that renders event data only as text', async () => {
    const res = await fetch(`${standinBase}/`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'")
    const html = await res.text()
    for (const label of ['受理', '派单', '开始处理', '已解决', '驳回']) expect(html).toContain(label)
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/i) // no external assets
    expect(html).not.toContain('innerHTML')
    expect(html).not.toContain('<script>alert(1)</script>') // data is fetched and set as text, never served in the page
  })
})
