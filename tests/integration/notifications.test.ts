import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { communities, memberships, notificationQuotas, outbox } from '@linli/bff/db/schema'
import { importRoster } from '@linli/bff/modules/roster/service'
import { login, startTestEnv, type Session, type TestEnv } from '../helpers/app'
import { unitId } from '../helpers/world'

/**
 * The one notification adapter: reminders to owners who have not voted go through the outbox to the WeChat
 * stand-in as subscribe messages, only as far as each person's one-time acceptances allow.
 */
let env: TestEnv
let cid: number
let committee: Session
const people: Record<'jia' | 'yi' | 'bing', Session> = {} as never

const api = (path = '') => `/api/v1/communities/${cid}/votes${path}`

beforeAll(async () => {
  env = await startTestEnv({ SCHEDULER_ENABLED: 'false' })
  const [c] = await env.db.insert(communities).values({ name: '提醒测试小区' }).$returningId()
  cid = c!.id
  const roster = ['101', '102', '103'].map((unit, i) => ({
    line: i + 1,
    building: '1栋',
    unit,
    kind: 'residence' as const,
    areaCenti: 10000,
    areaSource: 'register' as const,
    owners: [{ name: `业主${i}`, phone: `1390000010${i}` }],
  }))
  await importRoster(env.db, env.protector, {
    communityId: cid,
    actorPersonId: null,
    source: 'test',
    units: roster,
    rejected: [],
  })
  committee = await login(env, 'n-committee')
  await env.db.execute(
    sql`INSERT INTO community_roles (community_id, person_id, role) VALUES (${cid}, ${committee.personId}, 'committee')`,
  )
  for (const [i, who] of (['jia', 'yi', 'bing'] as const).entries()) {
    people[who] = await login(env, `n-${who}`)
    await env.db.insert(memberships).values({
      personId: people[who].personId,
      unitId: await unitId(env, cid, '1栋', `10${i + 1}`),
      communityId: cid,
      relation: 'owner',
      state: 'verified',
      method: 'committee_review',
    })
  }
})
afterAll(async () => env?.close())

async function sentTo(openid: string) {
  const res = await fetch(`${env.standinUrl}/__messages`)
  return (
    (await res.json()) as {
      touser: string
      template_id: string
      page: string
      data: Record<string, { value: string }>
    }[]
  ).filter((m) => m.touser === openid)
}

describe('subscriptions and reminders', () => {
  it('records one-time acceptances and tells the mini-program the template ids', async () => {
    const res = await people.jia.inject({
      method: 'POST',
      url: '/api/v1/me/subscriptions',
      payload: { accepted: ['vote_reminder'] },
    })
    expect(res.statusCode).toBe(200)
    await people.jia.inject({
      method: 'POST',
      url: '/api/v1/me/subscriptions',
      payload: { accepted: ['vote_reminder', 'vote_result'] },
    })
    const subs = (await people.jia.inject({ method: 'GET', url: '/api/v1/me/subscriptions' })).json().templates
    expect(subs.filter((t: { key: string }) => t.key.startsWith('vote_'))).toEqual([
      { key: 'vote_reminder', templateId: 'dev-template-vote-reminder', label: '业主表决截止提醒', remaining: 2 },
      { key: 'vote_result', templateId: 'dev-template-vote-result', label: '业主表决结果公示通知', remaining: 1 },
    ])
    const bad = await people.jia.inject({
      method: 'POST',
      url: '/api/v1/me/subscriptions',
      payload: { accepted: ['spam'] },
    })
    expect(bad.statusCode).toBe(400)
  })

  it('reminds owners who have not voted, sends only what acceptances allow, and never twice a day', async () => {
    const now = Date.now()
    const draft = (
      await committee.inject({
        method: 'POST',
        url: api(),
        payload: {
          title: '加装电梯',
          noticeText: '关于1栋加装电梯的表决',
          matters: [{ category: 7, text: '1栋加装电梯' }],
          announcedAt: new Date(now - 16 * 86_400_000).toISOString(),
          opensAt: new Date(now - 1000).toISOString(),
          closesAt: new Date(now + 86_400_000 * 3).toISOString(),
        },
      })
    ).json()
    await committee.inject({ method: 'POST', url: api(`/${draft.id}/publish`) })
    await env.app.scheduler.runDue()
    const detail = (await committee.inject({ method: 'GET', url: api(`/${draft.id}`) })).json()
    expect(detail.state).toBe('open')
    // 丙 votes; 甲 (subscribed) and 乙 (not subscribed) have not
    const entry = (await people.bing.inject({ method: 'GET', url: api(`/${draft.id}/my-entries`) })).json().items[0]
    const cast = await people.bing.inject({
      method: 'POST',
      url: api(`/${draft.id}/ballots`),
      headers: { 'idempotency-key': randomUUID() },
      payload: { ownerKey: entry.entry.ownerKey, choices: [{ matterId: detail.matters[0].id, choice: 'yes' }] },
    })
    expect(cast.statusCode).toBe(201)

    const reminded = await committee.inject({ method: 'POST', url: api(`/${draft.id}/remind`) })
    expect(reminded.json()).toEqual({ reminded: 2 })
    await env.app.outbox.dispatchDue()
    const toJia = await sentTo('n-jia')
    expect(toJia).toHaveLength(1)
    expect(toJia[0]).toMatchObject({
      template_id: 'dev-template-vote-reminder',
      page: expect.stringContaining(`voteId=${draft.id}`),
      data: { thing1: { value: '加装电梯' } },
    })
    expect(await sentTo('n-yi')).toEqual([])
    expect(await sentTo('n-bing')).toEqual([])
    const rows = await env.db.select().from(outbox)
    expect(rows.map((r) => r.status).sort()).toEqual(['delivered', 'skipped'])
    const [quota] = await env.db
      .select()
      .from(notificationQuotas)
      .where(eq(notificationQuotas.personId, people.jia.personId))
    expect(quota).toBeDefined()

    // a second round the same day is the same logical message: nothing new is queued or sent
    expect((await committee.inject({ method: 'POST', url: api(`/${draft.id}/remind`) })).statusCode).toBe(200)
    await env.app.outbox.dispatchDue()
    expect(await env.db.select().from(outbox)).toHaveLength(2)
    expect(await sentTo('n-jia')).toHaveLength(1)
    expect(
      (await people.jia.inject({ method: 'GET', url: '/api/v1/me/subscriptions' })).json().templates[0].remaining,
    ).toBe(1)
    // only the committee reminds
    expect((await people.jia.inject({ method: 'POST', url: api(`/${draft.id}/remind`) })).statusCode).toBe(403)
  })

  it('keeps the message and gives the acceptance back when WeChat cannot be reached, then delivers later', async () => {
    const down = await env.newApp({
      WECHAT_API_BASE: 'http://127.0.0.1:9',
      WECHAT_TIMEOUT_MS: '300',
      SCHEDULER_ENABLED: 'false',
    })
    await down.outbox.enqueue(env.db, {
      topic: 'wechat.subscribe_message',
      dedupeKey: 'test:down',
      payload: {
        personId: people.jia.personId,
        template: 'vote_reminder',
        page: 'pages/home/index',
        data: { thing1: '测试' },
        dedupeKey: 'test:down',
      },
    })
    await down.outbox.dispatchDue()
    const [row] = await env.db.select().from(outbox).where(eq(outbox.dedupeKey, 'test:down'))
    expect(row).toMatchObject({ status: 'pending', attempts: 1 })
    expect(row!.lastError).toMatch(/not reachable/)
    expect(
      (await people.jia.inject({ method: 'GET', url: '/api/v1/me/subscriptions' })).json().templates[0].remaining,
    ).toBe(1)
    // WeChat is back: the retry delivers it
    await env.db.update(outbox).set({ nextAttemptAt: new Date() }).where(eq(outbox.id, row!.id))
    await env.app.outbox.dispatchDue()
    const [after] = await env.db.select().from(outbox).where(eq(outbox.id, row!.id))
    expect(after).toMatchObject({ status: 'delivered', attempts: 2 })
    expect(await sentTo('n-jia')).toHaveLength(2)
    expect(
      (await people.jia.inject({ method: 'GET', url: '/api/v1/me/subscriptions' })).json().templates[0].remaining,
    ).toBe(0)
  })
})
