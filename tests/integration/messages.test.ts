import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { and, eq, like } from 'drizzle-orm'
import { inboxMessages, outbox, scheduledJobs, serviceRequests } from '@linli/bff/db/schema'
import { notificationService, type Notification } from '@linli/bff/modules/notifications/service'
import { INBOX_RETENTION_DAYS, PRUNE_JOB } from '@linli/bff/modules/messages/service'
import { messagePages } from '@linli/shared/notifications'
import { login, phoneCode, startTestEnv, type Session, type TestEnv } from '../helpers/app'
import { buildWorld, unitId, type World } from '../helpers/world'
import { categoriesApi, contractCompany, srApi } from './service-requests-fixtures'

/**
 * 消息 (the inbox every notify() writes) and 待办 (what waits for a person, computed from the records), through
 * the real BFF, MariaDB and Redis: the message is written with the change it tells about and rolls back with it,
 * exists once per logical message, whatever WeChat does with the subscribe message; each person reads and marks
 * only their own; the counts follow votes, requests and applications of the person's own communities only.
 */
let env: TestEnv
let w: World
const cat: Record<string, number> = {}
// biome-ignore lint/suspicious/noExplicitAny: response bodies read field by field in assertions
type Json = Record<string, any>

const inbox = async (s: Session, query = '') => {
  const res = await s.inject({ method: 'GET', url: `/api/v1/me/messages${query}` })
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as { items: Json[]; nextCursor: number | null; unread: number }
}
const todo = async (s: Session) => {
  const res = await s.inject({ method: 'GET', url: '/api/v1/me/todo' })
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as Record<
    'votes' | 'requestsToConfirm' | 'reviews' | 'requestsToHandle' | 'escalations' | 'unreadMessages',
    number
  >
}
const act = (s: Session, id: number, action: string, extra: Json = {}) =>
  s.inject({ method: 'POST', url: srApi(w.a.id, `/${id}/transitions`), payload: { action, ...extra } })

async function file(s: Session, category: string, answers: Json = {}): Promise<number> {
  const res = await s.inject({
    method: 'POST',
    url: srApi(w.a.id),
    payload: {
      categoryId: cat[category],
      description: '北门口的路灯坏了，晚上看不清路',
      location: { kind: 'public', detail: '北门' },
      answers,
      photoIds: [],
      sharePhone: false,
    },
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().id
}

function message(personId: number, dedupeKey: string, note = '已受理'): Notification {
  return {
    personId,
    template: 'sr_progress',
    page: messagePages.serviceRequest(w.a.id, 1),
    data: { thing1: '公共维修', thing2: '受理', time3: '2026-12-01 09:00', thing4: note },
    dedupeKey,
  }
}

beforeAll(async () => {
  env = await startTestEnv({ SCHEDULER_ENABLED: 'false' })
  w = await buildWorld(env)
  await contractCompany(env, w.a.id, '示例物业A')
  const list = (await w.people.residentA.inject({ method: 'GET', url: categoriesApi(w.a.id) })).json().items as {
    id: number
    name: string
  }[]
  for (const c of list) cat[c.name] = c.id
})
afterAll(async () => env?.close())

describe('every message is kept in the inbox, whatever WeChat does', () => {
  let requestId: number

  it('tells the committee and the worker of a new committee-handled request, in their inbox only', async () => {
    requestId = await file(w.people.residentA, '建议')
    for (const who of ['committeeA', 'workerA'] as const) {
      const page = await inbox(w.people[who])
      expect(page.unread).toBe(1)
      expect(page.items).toEqual([
        {
          id: expect.any(Number),
          template: 'sr_todo',
          title: '报事待处理：新报事',
          body: '「建议」报事：北门口的路灯坏了，晚上看不清路',
          page: `packages/services/pages/detail/index?communityId=${w.a.id}&requestId=${requestId}`,
          createdAt: expect.any(String),
          readAt: null,
        },
      ])
    }
    // the other community's committee and the reporter hear nothing of it
    expect((await inbox(w.people.committeeB)).items).toEqual([])
    expect((await inbox(w.people.residentA)).items).toEqual([])
  })

  it('keeps the progress message of a resident who never accepted a subscribe message; WeChat skips it', async () => {
    expect((await act(w.people.committeeA, requestId, 'accept')).statusCode).toBe(200)
    const page = await inbox(w.people.residentA)
    expect(page.items).toHaveLength(1)
    expect(page.items[0]).toMatchObject({
      template: 'sr_progress',
      title: '报事进度：受理',
      body: '「建议」报事：已受理。',
      page: messagePages.serviceRequest(w.a.id, requestId),
      readAt: null,
    })
    await env.app.outbox.dispatchDue()
    const sent = await env.db
      .select()
      .from(outbox)
      .where(like(outbox.dedupeKey, `notify:sr:${requestId}:%:${w.people.residentA.personId}`))
    expect(sent.map((r) => [r.status, r.lastError])).toEqual([['skipped', 'no subscription left for this template']])
    expect((await inbox(w.people.residentA)).items).toHaveLength(1)
  })

  it('is written in the transaction of the change: when the change rolls back, so does the message', async () => {
    const notifier = notificationService(env.app)
    const key = `test:rollback:${randomUUID()}`
    await expect(
      env.app.db.transaction(async (tx) => {
        await notifier.notify(tx, message(w.people.neighbourA.personId, key))
        throw new Error('the feature failed after notifying')
      }),
    ).rejects.toThrow('the feature failed')
    expect(
      await env.db
        .select()
        .from(inboxMessages)
        .where(like(inboxMessages.dedupeKey, `notify:${key}:%`)),
    ).toEqual([])
    expect(
      await env.db
        .select()
        .from(outbox)
        .where(like(outbox.dedupeKey, `notify:${key}:%`)),
    ).toEqual([])
    // committed, it is there
    await env.app.db.transaction((tx) => notifier.notify(tx, message(w.people.neighbourA.personId, key)))
    expect(
      await env.db
        .select()
        .from(inboxMessages)
        .where(like(inboxMessages.dedupeKey, `notify:${key}:%`)),
    ).toHaveLength(1)
  })

  it('keeps one message per dedupe key and person, however often it is sent', async () => {
    const notifier = notificationService(env.app)
    const key = `test:once:${randomUUID()}`
    for (let i = 0; i < 3; i++)
      await env.app.db.transaction((tx) => notifier.notify(tx, message(w.people.neighbourA.personId, key, `第${i}次`)))
    await env.app.db.transaction((tx) => notifier.notify(tx, message(w.people.residentA.personId, key)))
    const rows = await env.db
      .select()
      .from(inboxMessages)
      .where(like(inboxMessages.dedupeKey, `notify:${key}:%`))
    expect(rows.map((r) => [r.personId, r.body]).sort()).toEqual(
      [
        [w.people.neighbourA.personId, '「公共维修」报事：第0次。'],
        [w.people.residentA.personId, '「公共维修」报事：已受理。'],
      ].sort(),
    )
  })
})

describe('reading my messages', () => {
  let reader: Session
  beforeAll(async () => {
    reader = await login(env, 'openid-reader')
    const notifier = notificationService(env.app)
    for (let i = 1; i <= 5; i++)
      await env.app.db.transaction((tx) => notifier.notify(tx, message(reader.personId, `test:page:${i}`, `第${i}条`)))
  })

  it('pages newest first with a cursor', async () => {
    const first = await inbox(reader, '?limit=2')
    expect(first.items.map((m) => m.body)).toEqual(['「公共维修」报事：第5条。', '「公共维修」报事：第4条。'])
    expect(first.unread).toBe(5)
    const second = await inbox(reader, `?limit=2&cursor=${first.nextCursor}`)
    expect(second.items.map((m) => m.body)).toEqual(['「公共维修」报事：第3条。', '「公共维修」报事：第2条。'])
    const last = await inbox(reader, `?limit=2&cursor=${second.nextCursor}`)
    expect(last.items.map((m) => m.body)).toEqual(['「公共维修」报事：第1条。'])
    expect(last.nextCursor).toBeNull()
  })

  it('marks one read (again is fine), counts the unread, marks all read', async () => {
    const [newest, next] = (await inbox(reader)).items
    const read = await reader.inject({ method: 'POST', url: `/api/v1/me/messages/${newest!.id}/read` })
    expect(read.statusCode, read.body).toBe(200)
    expect(read.json()).toEqual({ unread: 4 })
    expect((await reader.inject({ method: 'POST', url: `/api/v1/me/messages/${newest!.id}/read` })).json()).toEqual({
      unread: 4,
    })
    expect((await reader.inject({ method: 'GET', url: '/api/v1/me/messages/unread-count' })).json()).toEqual({
      unread: 4,
    })
    const page = await inbox(reader)
    expect(page.items[0]!.readAt).toEqual(expect.any(String))
    expect(page.items[1]!.readAt).toBeNull()
    expect((await inbox(reader, '?unread=true')).items.map((m) => m.id)).not.toContain(newest!.id)
    expect((await inbox(reader, '?unread=true')).items.map((m) => m.id)).toContain(next!.id)
    expect((await todo(reader)).unreadMessages).toBe(4)

    const all = await reader.inject({ method: 'POST', url: '/api/v1/me/messages/read-all' })
    expect(all.json()).toEqual({ unread: 0 })
    expect((await inbox(reader)).items.every((m) => m.readAt !== null)).toBe(true)
    expect((await todo(reader)).unreadMessages).toBe(0)
  })

  it('never shows or marks another person’s message', async () => {
    const theirs = (await inbox(w.people.committeeA)).items[0]!
    expect((await inbox(reader)).items.map((m) => m.id)).not.toContain(theirs.id)
    const res = await reader.inject({ method: 'POST', url: `/api/v1/me/messages/${theirs.id}/read` })
    expect(res.statusCode).toBe(404)
    expect(res.json().error.code).toBe('NOT_FOUND')
    expect((await reader.inject({ method: 'POST', url: '/api/v1/me/messages/99999999/read' })).statusCode).toBe(404)
    const [row] = await env.db.select().from(inboxMessages).where(eq(inboxMessages.id, theirs.id))
    expect(row!.readAt).toBeNull()
  })

  it('refuses bad input with a code, and strangers with 401', async () => {
    for (const url of [
      '/api/v1/me/messages?limit=0',
      '/api/v1/me/messages?limit=51',
      '/api/v1/me/messages?cursor=abc',
      '/api/v1/me/messages?colour=red',
    ]) {
      const res = await reader.inject({ method: 'GET', url })
      expect(res.statusCode, url).toBe(400)
      expect(res.json().error.code).toBe('VALIDATION_FAILED')
    }
    expect((await reader.inject({ method: 'POST', url: '/api/v1/me/messages/abc/read' })).statusCode).toBe(400)
    for (const [method, url] of [
      ['GET', '/api/v1/me/messages'],
      ['GET', '/api/v1/me/messages/unread-count'],
      ['POST', '/api/v1/me/messages/read-all'],
      ['GET', '/api/v1/me/todo'],
    ] as const) {
      const res = await env.app.inject({ method, url })
      expect(res.statusCode, url).toBe(401)
    }
  })

  it('documents the routes under the messages tag', async () => {
    const doc = (await env.app.inject({ method: 'GET', url: '/docs/json' })).json()
    for (const path of [
      '/api/v1/me/messages',
      '/api/v1/me/messages/unread-count',
      '/api/v1/me/messages/{messageId}/read',
      '/api/v1/me/messages/read-all',
      '/api/v1/me/todo',
    ]) {
      const op = doc.paths[path]?.get ?? doc.paths[path]?.post
      expect(op?.tags, path).toEqual(['messages'])
    }
  })
})

describe('what waits for me (待办)', () => {
  it('counts an open vote for its owners until they vote, for the proxy instead of the owner, never in another community', async () => {
    const now = Date.now()
    const api = (path = '') => `/api/v1/communities/${w.a.id}/votes${path}`
    const draft = await w.people.committeeA.inject({
      method: 'POST',
      url: api(),
      payload: {
        title: '更换小区北门门禁',
        noticeText: '关于更换北门门禁的表决',
        matters: [{ category: 9, text: '更换北门门禁' }],
        announcedAt: new Date(now - 16 * 86_400_000).toISOString(),
        opensAt: new Date(now - 1000).toISOString(),
        closesAt: new Date(now + 3 * 86_400_000).toISOString(),
      },
    })
    expect(draft.statusCode, draft.body).toBe(201)
    const voteId = draft.json().id as number
    expect((await todo(w.people.residentA)).votes).toBe(0) // a draft waits for nobody
    expect((await w.people.committeeA.inject({ method: 'POST', url: api(`/${voteId}/publish`) })).statusCode).toBe(200)
    await env.app.scheduler.runDue()
    const detail = (await w.people.committeeA.inject({ method: 'GET', url: api(`/${voteId}`) })).json()
    expect(detail.state).toBe('open')

    expect((await todo(w.people.residentA)).votes).toBe(1)
    expect((await todo(w.people.neighbourA)).votes).toBe(1)
    expect((await todo(w.people.residentB)).votes).toBe(0)
    expect((await todo(w.people.committeeA)).votes).toBe(0) // a committee member without a unit here

    // neighbourA appoints a proxy: the vote now waits for the proxy, not for them
    const proxy = await login(env, 'openid-proxy')
    expect(
      (
        await proxy.inject({
          method: 'POST',
          url: '/api/v1/me/phone',
          payload: { code: await phoneCode(env, '13700000077') },
        })
      ).statusCode,
    ).toBe(200)
    const [entry] = (await w.people.neighbourA.inject({ method: 'GET', url: api(`/${voteId}/my-entries`) })).json()
      .items
    const grant = await w.people.neighbourA.inject({
      method: 'POST',
      url: api(`/${voteId}/proxies`),
      payload: {
        ownerKey: entry.entry.ownerKey,
        proxyPhone: '13700000077',
        proxyName: '代理人',
        authorizationText: '本人委托代理人代为参加本次业主大会表决。',
      },
    })
    expect(grant.statusCode, grant.body).toBe(201)
    expect((await todo(w.people.neighbourA)).votes).toBe(0)
    expect((await todo(proxy)).votes).toBe(1)

    // the reminder reaches the proxy's inbox, once however often the committee presses it
    await w.people.committeeA.inject({ method: 'POST', url: api(`/${voteId}/remind`) })
    await w.people.committeeA.inject({ method: 'POST', url: api(`/${voteId}/remind`) })
    const reminders = (await inbox(proxy)).items
    expect(reminders).toHaveLength(1)
    expect(reminders[0]).toMatchObject({
      template: 'vote_reminder',
      title: '业主表决即将截止',
      page: messagePages.voteDetail(w.a.id, voteId),
    })
    expect(reminders[0]!.body).toMatch(
      /^「更换小区北门门禁」将于 \d{4}-\d\d-\d\d \d\d:\d\d 截止。您还未表决，请在截止前投票。$/,
    )

    // voting clears it
    const [mine] = (await w.people.residentA.inject({ method: 'GET', url: api(`/${voteId}/my-entries`) })).json().items
    const cast = await w.people.residentA.inject({
      method: 'POST',
      url: api(`/${voteId}/ballots`),
      headers: { 'idempotency-key': randomUUID() },
      payload: { ownerKey: mine.entry.ownerKey, choices: [{ matterId: detail.matters[0].id, choice: 'yes' }] },
    })
    expect(cast.statusCode, cast.body).toBe(201)
    expect((await todo(w.people.residentA)).votes).toBe(0)
    const byProxy = await proxy.inject({
      method: 'POST',
      url: api(`/${voteId}/ballots`),
      headers: { 'idempotency-key': randomUUID() },
      payload: { ownerKey: entry.entry.ownerKey, choices: [{ matterId: detail.matters[0].id, choice: 'no' }] },
    })
    expect(byProxy.statusCode, byProxy.body).toBe(201)
    expect((await todo(proxy)).votes).toBe(0)
  })

  it('counts a resolved request for its reporter, and open committee requests and escalations for the committee and worker of that community', async () => {
    const before = await todo(w.people.committeeA)
    const id = await file(w.people.neighbourA, '建议')
    expect(await todo(w.people.committeeA)).toMatchObject({ requestsToHandle: before.requestsToHandle + 1 })
    expect(await todo(w.people.workerA)).toMatchObject({ requestsToHandle: before.requestsToHandle + 1 })
    expect(await todo(w.people.committeeB)).toMatchObject({ requestsToHandle: 0, escalations: 0 })
    for (const action of ['accept', 'start', 'resolve'])
      expect((await act(w.people.committeeA, id, action)).statusCode).toBe(200)
    expect(await todo(w.people.neighbourA)).toMatchObject({ requestsToConfirm: 1 })
    expect(await todo(w.people.residentA)).toMatchObject({ requestsToConfirm: 0 })
    expect(await todo(w.people.committeeA)).toMatchObject({ requestsToHandle: before.requestsToHandle })
    const confirmed = await w.people.neighbourA.inject({
      method: 'POST',
      url: srApi(w.a.id, `/${id}/confirm`),
      payload: { overall: 5, speed: 5, attitude: 5 },
    })
    expect(confirmed.statusCode, confirmed.body).toBe(200)
    expect(await todo(w.people.neighbourA)).toMatchObject({ requestsToConfirm: 0 })

    // a property-handled request is the committee's only once it is overdue
    const late = await file(w.people.neighbourA, '公共维修', { facility: 'lighting' })
    expect(await todo(w.people.committeeA)).toMatchObject({ requestsToHandle: before.requestsToHandle, escalations: 0 })
    const past = new Date(Date.now() - 60_000)
    await env.db.update(serviceRequests).set({ acceptDueAt: past }).where(eq(serviceRequests.id, late))
    await env.db
      .update(scheduledJobs)
      .set({ runAt: past })
      .where(eq(scheduledJobs.jobKey, `sr.accept_due:${late}`))
    await env.app.scheduler.runDue()
    expect(await todo(w.people.committeeA)).toMatchObject({
      requestsToHandle: before.requestsToHandle + 1,
      escalations: 1,
    })
    expect(await todo(w.people.committeeB)).toMatchObject({ requestsToHandle: 0, escalations: 0 })
    expect(await todo(w.people.neighbourA)).toMatchObject({ requestsToHandle: 0, escalations: 0 })
  })

  it('counts pending household applications for the reviewers of that community only', async () => {
    const reviews = async (s: Session) => (await todo(s)).reviews
    const [a0, b0] = [await reviews(w.people.committeeA), await reviews(w.people.committeeB)]
    const applicantA = await login(env, 'openid-applicant-a')
    const applicantB = await login(env, 'openid-applicant-b')
    expect(
      (
        await applicantA.inject({
          method: 'POST',
          url: '/api/v1/memberships',
          payload: { unitId: await unitId(env, w.a.id, '2栋', '202'), relation: 'family' },
        })
      ).statusCode,
    ).toBe(201)
    expect(
      (
        await applicantB.inject({
          method: 'POST',
          url: '/api/v1/memberships',
          payload: { unitId: await unitId(env, w.b.id, '1栋', '202'), relation: 'family' },
        })
      ).statusCode,
    ).toBe(201)
    expect(await reviews(w.people.committeeA)).toBe(a0 + 1)
    expect(await reviews(w.people.workerA)).toBe(a0 + 1)
    expect(await reviews(w.people.committeeB)).toBe(b0 + 1)
    expect(await reviews(w.people.residentA)).toBe(0)
    expect(await reviews(applicantA)).toBe(0)
    const [pending] = (
      await w.people.committeeA.inject({
        method: 'GET',
        url: `/api/v1/communities/${w.a.id}/memberships?state=pending`,
      })
    ).json().items
    expect(
      (
        await w.people.committeeA.inject({
          method: 'POST',
          url: `/api/v1/communities/${w.a.id}/memberships/${pending.id}/approve`,
        })
      ).statusCode,
    ).toBe(200)
    expect(await reviews(w.people.committeeA)).toBe(a0)
    expect(await reviews(w.people.committeeB)).toBe(b0 + 1)
  })
})

describe('retention', () => {
  it(`deletes messages older than ${INBOX_RETENTION_DAYS} days through the scheduler, then schedules the next run`, async () => {
    const keeper = await login(env, 'openid-keeper')
    const day = 86_400_000
    await env.db.insert(inboxMessages).values([
      {
        personId: keeper.personId,
        dedupeKey: 'test:old',
        template: 'sr_progress',
        title: '旧消息',
        body: '过期',
        page: 'pages/home/index',
        createdAt: new Date(Date.now() - (INBOX_RETENTION_DAYS + 1) * day),
      },
      {
        personId: keeper.personId,
        dedupeKey: 'test:recent',
        template: 'sr_progress',
        title: '新消息',
        body: '保留',
        page: 'pages/home/index',
        createdAt: new Date(Date.now() - (INBOX_RETENTION_DAYS - 1) * day),
      },
    ])
    const pending = await env.db
      .select()
      .from(scheduledJobs)
      .where(and(eq(scheduledJobs.kind, PRUNE_JOB)))
    expect(pending).toHaveLength(1)
    expect(pending[0]!.runAt.getTime()).toBeGreaterThan(Date.now())
    expect(pending[0]!.runAt.getTime()).toBeLessThanOrEqual(Date.now() + day)
    await env.db
      .update(scheduledJobs)
      .set({ runAt: new Date(Date.now() - 1000) })
      .where(eq(scheduledJobs.id, pending[0]!.id))
    await env.app.scheduler.runDue()
    expect((await inbox(keeper)).items.map((m) => m.title)).toEqual(['新消息'])
    const jobs = await env.db.select().from(scheduledJobs).where(eq(scheduledJobs.kind, PRUNE_JOB))
    expect(jobs.find((j) => j.id === pending[0]!.id)!.doneAt).not.toBeNull()
    const next = jobs.filter((j) => j.doneAt === null)
    expect(next).toHaveLength(1)
    expect(next[0]!.runAt.getTime()).toBeGreaterThan(Date.now())
  })
})
