import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import { auditEvents, communities, memberships, photos, voteBallots, votes, voteTallies } from '@linli/bff/db/schema'
import { importRoster } from '@linli/bff/modules/roster/service'
import type { RosterUnitInput } from '@linli/bff/modules/roster/parse'
import { verifyVote } from '@linli/bff/modules/voting/verify'
import { ballotGroups, unitsOfEntry, type BallotAttempt } from '@linli/bff/modules/voting/ballots'
import { appendAudit, verifyStream } from '@linli/bff/modules/audit/service'
import { decideMatter, NOTICE_LAW, noticePeriod, type VoteState } from '@linli/shared/voting/rules'
import {
  COMMITTEE_ACTIONS,
  committeeActions,
  remindedThisRound,
  type CommitteeAction,
} from '@linli/shared/voting/actions'
import { checkReceiptCode } from '@linli/shared/voting/receipts'
import { ErrorCodes } from '@linli/shared/errors'
import { login, phoneCode, startTestEnv, type Session, type TestEnv } from '../helpers/app'
import { unitId } from '../helpers/world'
import { jpegWithGps, multipart } from './service-requests-fixtures'
import type { FastifyInstance } from 'fastify'

/**
 * 业主大会电子表决 through the real BFF, database and Redis: the roll's counting rules (解释第八、九条), exactly-once
 * ballots under concurrency, proxies, the close firing once with two BFF instances, and a recount that agrees.
 */
let env: TestEnv
let second: FastifyInstance
let community: number
let other: number
let committee: Session
let worker: Session
type Owner = 'jia' | 'yi' | 'bing' | 'ding' | 'ji'
const owners = {} as Record<Owner, Session>
let tenant: Session
let family: Session
let unverified: Session
let stranger: Session
let proxyPerson: Session

// 甲 owns 1栋101 and 1栋102 (one owner, area summed); 乙+丙 co-own 201 (one vote); 丁 202; the developer still
// holds 301 and 302 (one owner together); 己 2栋101; 庚 2栋102 without a phone; a parking space that counts
// only where the community's rules say so.
const ROSTER = [
  ['1栋', '101', 10000, [['甲一', '13900000001']]],
  ['1栋', '102', 8000, [['甲一', '13900000001']]],
  [
    '1栋',
    '201',
    9000,
    [
      ['乙二', '13900000002'],
      ['丙三', '13900000003'],
    ],
  ],
  ['1栋', '202', 9000, [['丁四', '13900000004']]],
  ['1栋', '301', 9500, [], true],
  ['1栋', '302', 9500, [], true],
  ['2栋', '101', 10000, [['己六', '13900000006']]],
  ['2栋', '102', 10000, [['庚七', null]]],
] as const
const TOTAL_AREA = 75000
const TOTAL_OWNERS = 6

const api = (cid: number, path = '') => `/api/v1/communities/${cid}/votes${path}`
const idem = () => ({ 'idempotency-key': randomUUID() })

async function person(openid: string, phone?: string): Promise<Session> {
  const s = await login(env, openid)
  if (phone) {
    const res = await s.inject({
      method: 'POST',
      url: '/api/v1/me/phone',
      payload: { code: await phoneCode(env, phone) },
    })
    expect(res.statusCode).toBe(200)
  }
  return s
}

async function bind(
  s: Session,
  cid: number,
  building: string,
  number: string,
  relation: 'owner' | 'co_owner' | 'family' | 'tenant',
  state: 'verified' | 'pending' = 'verified',
) {
  await env.db.insert(memberships).values({
    personId: s.personId,
    unitId: await unitId(env, cid, building, number),
    communityId: cid,
    relation,
    state,
    method: state === 'verified' ? 'committee_review' : null,
  })
}

interface VoteOpts {
  cid?: number
  matters?: { category: number; text: string }[]
  noticeDays?: number
  closesInMs?: number
  hide?: boolean
}

async function openVote(opts: VoteOpts = {}): Promise<{ id: number; matters: { id: number; category: number }[] }> {
  const cid = opts.cid ?? community
  const now = Date.now()
  const created = await committee.inject({
    method: 'POST',
    url: api(cid),
    payload: {
      title: '关于续聘物业服务企业的表决',
      noticeText: '根据业主大会议事规则，现就以下事项征求全体业主意见。',
      matters: opts.matters ?? [
        { category: 4, text: '续聘示例物业服务有限公司，合同期三年' },
        { category: 6, text: '按每月每平方米0.25元筹集维修资金' },
      ],
      announcedAt: new Date(now - (opts.noticeDays ?? 16) * 86_400_000).toISOString(),
      opensAt: new Date(now - 1000).toISOString(),
      closesAt: new Date(now + (opts.closesInMs ?? 3_600_000)).toISOString(),
      hideResultsUntilClose: opts.hide ?? true,
    },
  })
  expect(created.statusCode, created.body).toBe(201)
  const draft = created.json()
  // a notice shorter than the law's 15 days is published only with the committee's confirmation and reason
  const notice = noticePeriod(draft.announcedAt, draft.opensAt)
  const payload = notice.short
    ? { shortNotice: { confirmed: true, noticeDays: notice.days, reason: '测试用的短公告期' } }
    : undefined
  const published = await committee.inject({
    method: 'POST',
    url: api(cid, `/${draft.id}/publish`),
    ...(payload ? { payload } : {}),
  })
  expect(published.statusCode, published.body).toBe(200)
  await env.app.scheduler.runDue()
  // either instance's scheduler may have claimed the opening (SKIP LOCKED): wait for whichever commits it
  const detail = await waitFor(
    () => committee.inject({ method: 'GET', url: api(cid, `/${draft.id}`) }).then((r) => r.json()),
    (d) => d.state === 'open',
    5000,
  )
  expect(detail.state).toBe('open')
  return { id: draft.id, matters: detail.matters }
}

const cast = (
  s: Session,
  voteId: number,
  ownerKey: string,
  choices: { matterId: number; choice: string }[],
  headers: Record<string, string> = idem(),
  cid = community,
) => s.inject({ method: 'POST', url: api(cid, `/${voteId}/ballots`), payload: { ownerKey, choices }, headers })

async function entryOf(s: Session, voteId: number, cid = community) {
  const res = await s.inject({ method: 'GET', url: api(cid, `/${voteId}/my-entries`) })
  expect(res.statusCode, res.body).toBe(200)
  return res.json().items as {
    entry: { ownerKey: string; areaCenti: number; units: { label: string }[] }
    via: string
    weight: { areaShare: number }
    ballot: { receipt: string } | null
  }[]
}

const all = (matters: { id: number }[], choice: 'yes' | 'no' | 'abstain') =>
  matters.map((m) => ({ matterId: m.id, choice }))

async function waitFor<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await f()
    if (ok(v) || Date.now() > end) return v
    await new Promise((r) => setTimeout(r, 100))
  }
}

beforeAll(async () => {
  env = await startTestEnv({ SCHEDULER_POLL_MS: '100' })
  second = await env.newApp()
  const [c] = await env.db.insert(communities).values({ name: '表决测试小区', district: '甲区' }).$returningId()
  const [o] = await env.db.insert(communities).values({ name: '别的小区', district: '乙区' }).$returningId()
  community = c!.id
  other = o!.id
  const units: RosterUnitInput[] = ROSTER.map(([building, unit, area, holders, developer], i) => ({
    line: i + 1,
    building,
    unit,
    kind: 'residence',
    areaCenti: area,
    areaSource: 'register',
    owners: holders.map(([name, phone]) => ({ name, phone })),
    developerHeld: developer === true,
  }))
  units.push({
    line: 99,
    building: '地下车库',
    unit: 'P-001',
    kind: 'parking',
    areaCenti: 1250,
    areaSource: 'contract',
    owners: [{ name: '戊五', phone: '13900000005' }],
    developerHeld: false,
  })
  await importRoster(env.db, env.protector, {
    communityId: community,
    actorPersonId: null,
    source: 'test',
    units,
    rejected: [],
  })
  await importRoster(env.db, env.protector, {
    communityId: other,
    actorPersonId: null,
    source: 'test',
    units: units.slice(0, 2),
    rejected: [],
  })

  committee = await person('v-committee')
  worker = await person('v-worker')
  await env.db.execute(
    sql`INSERT INTO community_roles (community_id, person_id, role) VALUES (${community}, ${committee.personId}, 'committee'), (${community}, ${worker.personId}, 'worker'), (${other}, ${committee.personId}, 'committee')`,
  )
  owners.jia = await person('v-jia', '13900000001')
  owners.yi = await person('v-yi', '13900000002')
  owners.bing = await person('v-bing', '13900000003')
  owners.ding = await person('v-ding', '13900000004')
  owners.ji = await person('v-ji', '13900000006')
  await bind(owners.jia, community, '1栋', '101', 'owner')
  await bind(owners.yi, community, '1栋', '201', 'co_owner')
  await bind(owners.bing, community, '1栋', '201', 'co_owner')
  await bind(owners.ding, community, '1栋', '202', 'owner')
  await bind(owners.ji, community, '2栋', '101', 'owner')
  tenant = await person('v-tenant')
  await bind(tenant, community, '2栋', '102', 'tenant')
  family = await person('v-family')
  await bind(family, community, '1栋', '101', 'family')
  unverified = await person('v-unverified', '13900000009')
  await bind(unverified, community, '2栋', '102', 'owner', 'pending')
  stranger = await person('v-stranger')
  await bind(stranger, other, '1栋', '101', 'owner')
  proxyPerson = await person('v-proxy', '13700000000')
})
afterAll(async () => env?.close())

describe('the electoral roll (表决名册)', () => {
  it('counts one buyer with several units once, co-owners once, the developer once, and leaves parking out by default', async () => {
    const vote = await openVote()
    const roll = (await worker.inject({ method: 'GET', url: api(community, `/${vote.id}/roll`) })).json()
    expect(roll.totalOwners).toBe(TOTAL_OWNERS)
    expect(roll.totalArea).toBe(TOTAL_AREA)
    expect(roll.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    const byRooms = Object.fromEntries(
      roll.entries.map(
        (e: { units: { label: string }[]; areaCenti: number; isDeveloper: boolean; holders: string[] }) => [
          e.units.map((u) => u.label).join('+'),
          e,
        ],
      ),
    )
    expect(byRooms['1栋 101+1栋 102']).toMatchObject({ areaCenti: 18000, isDeveloper: false, holders: ['甲*'] })
    expect(byRooms['1栋 201']).toMatchObject({ areaCenti: 9000, holders: ['乙*', '丙*'] })
    expect(byRooms['1栋 301+1栋 302']).toMatchObject({ areaCenti: 19000, isDeveloper: true })
    expect(Object.keys(byRooms).some((k) => k.includes('P-001'))).toBe(false)
    expect(JSON.stringify(roll)).not.toContain('1390000')

    // the same roster gives the same fingerprint; the detail publishes it with the items' fingerprint
    const again = await openVote()
    const detail = (await owners.jia.inject({ method: 'GET', url: api(community, `/${again.id}`) })).json()
    expect(detail.fingerprints.roll).toBe(roll.fingerprint)
    expect(detail.fingerprints.items).toMatch(/^[0-9a-f]{64}$/)

    // each owner sees their own entry: both units, summed area, weight
    const [mine] = await entryOf(owners.jia, vote.id)
    expect(mine!.entry.units.map((u) => u.label)).toEqual(['1栋 101', '1栋 102'])
    expect(mine!.weight.areaShare).toBe(2400)
    expect(mine!.via).toBe('owner')
  })

  it('counts parking where the community rules say so', async () => {
    await env.db
      .update(communities)
      .set({ settings: { parkingCountsForVoting: true } })
      .where(eq(communities.id, community))
    try {
      const vote = await openVote()
      const roll = (await committee.inject({ method: 'GET', url: api(community, `/${vote.id}/roll`) })).json()
      expect(roll.totalOwners).toBe(TOTAL_OWNERS + 1)
      expect(roll.totalArea).toBe(TOTAL_AREA + 1250)
    } finally {
      await env.db.update(communities).set({ settings: {} }).where(eq(communities.id, community))
    }
  })
})

describe('drafting and publishing', () => {
  it('warns when the notice is shorter than 15 days and freezes the items once published', async () => {
    const vote = await openVote({ noticeDays: 10 })
    const detail = (await committee.inject({ method: 'GET', url: api(community, `/${vote.id}`) })).json()
    expect(detail).toMatchObject({ noticeTooShort: true, state: 'open', allowChange: false })
    expect(detail.noticeDays).toBeLessThan(15)
    const edit = await committee.inject({
      method: 'PUT',
      url: api(community, `/${vote.id}`),
      payload: {
        title: '改标题',
        noticeText: '改内容',
        matters: [{ category: 9, text: '其他事项' }],
        announcedAt: detail.announcedAt,
        opensAt: detail.opensAt,
        closesAt: detail.closesAt,
      },
    })
    expect(edit.statusCode).toBe(409)
    expect(edit.json().error.code).toBe('INVALID_TRANSITION')
  })

  it('rejects an inverted window and unknown categories, writing nothing', async () => {
    const before = await env.db.select({ n: sql<number>`COUNT(*)` }).from(votes)
    const now = Date.now()
    const bad = await committee.inject({
      method: 'POST',
      url: api(community),
      payload: {
        title: '错误',
        noticeText: '错误的窗口',
        matters: [{ category: 4, text: '事项' }],
        announcedAt: new Date(now).toISOString(),
        opensAt: new Date(now + 2000).toISOString(),
        closesAt: new Date(now + 1000).toISOString(),
      },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toContain('closesAt')
    const cat = await committee.inject({
      method: 'POST',
      url: api(community),
      payload: {
        title: '错误',
        noticeText: '错误的类别',
        matters: [{ category: 10, text: '事项' }],
        announcedAt: new Date(now).toISOString(),
        opensAt: new Date(now + 1000).toISOString(),
        closesAt: new Date(now + 2000).toISOString(),
      },
    })
    expect(cat.statusCode).toBe(400)
    expect(await env.db.select({ n: sql<number>`COUNT(*)` }).from(votes)).toEqual(before)
  })

  it('lets only the committee run votes, and hides drafts from residents', async () => {
    const now = Date.now()
    const payload = {
      title: '草稿',
      noticeText: '草稿内容',
      matters: [{ category: 1, text: '修改议事规则' }],
      announcedAt: new Date(now).toISOString(),
      opensAt: new Date(now + 20 * 86_400_000).toISOString(),
      closesAt: new Date(now + 30 * 86_400_000).toISOString(),
    }
    expect((await owners.jia.inject({ method: 'POST', url: api(community), payload })).statusCode).toBe(403)
    expect((await worker.inject({ method: 'POST', url: api(community), payload })).statusCode).toBe(403)
    const draft = (await committee.inject({ method: 'POST', url: api(community), payload })).json()
    expect((await owners.jia.inject({ method: 'GET', url: api(community, `/${draft.id}`) })).statusCode).toBe(404)
    const list = (await owners.jia.inject({ method: 'GET', url: api(community) })).json().items
    expect(list.some((v: { id: number }) => v.id === draft.id)).toBe(false)
    expect((await owners.jia.inject({ method: 'POST', url: api(community, `/${draft.id}/publish`) })).statusCode).toBe(
      403,
    )
    expect((await stranger.inject({ method: 'GET', url: api(community) })).statusCode).toBe(403)
  })
})

describe('casting', () => {
  it('takes one ballot per owner entry, returns a receipt, and answers retries with the same receipt', async () => {
    const vote = await openVote()
    const [jia] = await entryOf(owners.jia, vote.id)
    const headers = idem()
    const first = await cast(owners.jia, vote.id, jia!.entry.ownerKey, all(vote.matters, 'yes'), headers)
    expect(first.statusCode, first.body).toBe(201)
    expect(first.json().receipt).toMatch(/^[0-9A-F]{8}$/)
    const retry = await cast(owners.jia, vote.id, jia!.entry.ownerKey, all(vote.matters, 'yes'), headers)
    expect(retry.statusCode).toBe(200)
    expect(retry.json().receipt).toBe(first.json().receipt)
    const mismatch = await cast(owners.jia, vote.id, jia!.entry.ownerKey, all(vote.matters, 'no'), headers)
    expect(mismatch.statusCode).toBe(422)
    const again = await cast(owners.jia, vote.id, jia!.entry.ownerKey, all(vote.matters, 'no'))
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('BALLOT_ALREADY_CAST')
    expect((await entryOf(owners.jia, vote.id))[0]!.ballot!.receipt).toBe(first.json().receipt)
  })

  it('produces exactly one ballot from many concurrent submissions by both co-owners across two instances', async () => {
    const vote = await openVote()
    const [entry] = await entryOf(owners.yi, vote.id)
    expect((await entryOf(owners.bing, vote.id))[0]!.entry.ownerKey).toBe(entry!.entry.ownerKey)
    const submissions = Array.from({ length: 24 }, (_, i) => {
      const s = i % 2 ? owners.yi! : owners.bing!
      const app = i % 3 ? env.app : second
      return app.inject({
        method: 'POST',
        url: api(community, `/${vote.id}/ballots`),
        payload: { ownerKey: entry!.entry.ownerKey, choices: all(vote.matters, i % 2 ? 'yes' : 'no') },
        headers: { ...idem(), authorization: `Bearer ${s.accessToken}` },
      })
    })
    const results = await Promise.all(submissions)
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1)
    expect(
      results.filter((r) => r.statusCode === 409).every((r) => r.json().error.code === 'BALLOT_ALREADY_CAST'),
    ).toBe(true)
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(23)
    const rows = await env.db
      .select()
      .from(voteBallots)
      .where(and(eq(voteBallots.voteId, vote.id), eq(voteBallots.ownerKey, entry!.entry.ownerKey)))
    expect(rows).toHaveLength(1)
  })

  it('gives one answer to the same Idempotency-Key sent many times at once', async () => {
    const vote = await openVote()
    const [entry] = await entryOf(owners.ding, vote.id)
    const headers = idem()
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        cast(owners.ding, vote.id, entry!.entry.ownerKey, all(vote.matters, 'abstain'), headers),
      ),
    )
    const receipts = new Set(results.map((r) => r.json().receipt))
    expect(receipts.size).toBe(1)
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1)
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(9)
  })

  it('requires one choice for every matter', async () => {
    const vote = await openVote()
    const [entry] = await entryOf(owners.ji, vote.id)
    const res = await cast(owners.ji, vote.id, entry!.entry.ownerKey, [
      { matterId: vote.matters[0]!.id, choice: 'yes' },
    ])
    expect(res.statusCode).toBe(400)
    expect(res.json().error.message).toContain('choices')
    const bad = await cast(owners.ji, vote.id, entry!.entry.ownerKey, all(vote.matters, 'maybe' as never))
    expect(bad.statusCode).toBe(400)
    const noKey = await owners.ji.inject({
      method: 'POST',
      url: api(community, `/${vote.id}/ballots`),
      payload: { ownerKey: entry!.entry.ownerKey, choices: all(vote.matters, 'yes') },
    })
    expect(noKey.statusCode).toBe(400)
    expect(noKey.json().error.message).toContain('idempotency-key')
    expect(await env.db.select().from(voteBallots).where(eq(voteBallots.voteId, vote.id))).toEqual([])
  })

  it('refuses tenants, family members, unverified owners and other communities (403), and someone else’s entry', async () => {
    const vote = await openVote()
    const [jia] = await entryOf(owners.jia, vote.id)
    const [ji] = await entryOf(owners.ji, vote.id)
    // tenants and family members are residents: they see the vote, but have nothing to vote for
    expect(await entryOf(tenant, vote.id)).toEqual([])
    expect(await entryOf(family, vote.id)).toEqual([])
    // someone whose binding is still pending is not yet a resident at all
    expect((await unverified.inject({ method: 'GET', url: api(community, `/${vote.id}/my-entries`) })).statusCode).toBe(
      403,
    )
    for (const s of [tenant, family]) {
      const res = await cast(s, vote.id, jia!.entry.ownerKey, all(vote.matters, 'yes'))
      expect(res.statusCode).toBe(403)
    }
    expect((await cast(unverified, vote.id, ji!.entry.ownerKey, all(vote.matters, 'yes'))).statusCode).toBe(403)
    expect((await cast(stranger, vote.id, jia!.entry.ownerKey, all(vote.matters, 'yes'))).statusCode).toBe(403)
    expect((await cast(owners.jia, vote.id, ji!.entry.ownerKey, all(vote.matters, 'yes'))).statusCode).toBe(403)
    // another community's path cannot reach this vote
    expect(
      (await cast(stranger, vote.id, jia!.entry.ownerKey, all(vote.matters, 'yes'), idem(), other)).statusCode,
    ).toBe(404)
    expect(await env.db.select().from(voteBallots).where(eq(voteBallots.voteId, vote.id))).toEqual([])
  })
})

describe('ballots taken together (one statement for those that arrive at once)', () => {
  const attemptOf = async (
    s: Session,
    vote: { id: number; matters: { id: number }[] },
    ownerKey: string,
    over: Partial<BallotAttempt> = {},
  ): Promise<BallotAttempt> => ({
    communityId: community,
    voteId: vote.id,
    ownerKey,
    personId: s.personId,
    choices: all(vote.matters, 'yes').sort((a, b) => a.matterId - b.matterId) as BallotAttempt['choices'],
    idempotencyKey: randomUUID(),
    revision: 1,
    via: 'owner',
    units: await unitsOfEntry(env.app.pool, vote.id, ownerKey),
    ...over,
  })

  it('takes a whole group in one go, and gives each ballot of a group with a refused one its own answer', async () => {
    // one group at a time: the first ballot goes alone, the ones queued behind it go as one statement
    const groups = ballotGroups(env.app.pool, { maxInFlight: 1 })
    for (const spoiled of [false, true]) {
      const vote = await openVote()
      const key = async (who: Owner) => (await entryOf(owners[who], vote.id))[0]!.entry.ownerKey
      const [jia, yi, ding, ji] = await Promise.all((['jia', 'yi', 'ding', 'ji'] as const).map(key))
      const attempts = [
        await attemptOf(owners.jia, vote, jia!),
        await attemptOf(owners.yi, vote, yi!),
        // 丁 tries to vote for 己's entry: the database refuses that row, and so the group's statement
        spoiled ? await attemptOf(owners.ding, vote, ji!) : await attemptOf(owners.ding, vote, ding!),
        await attemptOf(owners.ji, vote, ji!),
      ]
      const rows = await Promise.all(attempts.map((a) => groups.insert(a)))
      expect(rows.map((r) => r?.ownerKey ?? null)).toEqual([jia, yi, spoiled ? null : ding, ji])
      const stored = await env.db.select().from(voteBallots).where(eq(voteBallots.voteId, vote.id))
      expect(stored.map((b) => [b.ownerKey, b.castByPersonId, b.receipt]).sort()).toEqual(
        rows
          .filter((r) => r !== null)
          .map((r) => [r!.ownerKey, r!.castByPersonId, r!.receipt])
          .sort(),
      )
    }
  })

  it('answers every owner of a crowd, with retries, twins and refusals among them, as if each had come alone', async () => {
    const vote = await openVote()
    const keys = Object.fromEntries(
      await Promise.all(
        (['jia', 'yi', 'bing', 'ding', 'ji'] as const).map(async (who) => [
          who,
          (await entryOf(owners[who], vote.id))[0]!.entry.ownerKey,
        ]),
      ),
    )
    const twin = idem()
    const requests = [
      ...Array.from({ length: 3 }, () => cast(owners.jia, vote.id, keys.jia, all(vote.matters, 'yes'), twin)),
      cast(owners.yi, vote.id, keys.yi, all(vote.matters, 'no')),
      cast(owners.bing, vote.id, keys.yi, all(vote.matters, 'yes')),
      cast(tenant, vote.id, keys.ding, all(vote.matters, 'yes')),
      cast(owners.ding, vote.id, keys.ding, all(vote.matters, 'abstain')),
      cast(owners.ji, vote.id, keys.ji, all(vote.matters, 'yes')),
      cast(owners.ji, vote.id, keys.ji, all(vote.matters, 'no')),
    ]
    const [j1, j2, j3, yi, bing, ten, ding, ji1, ji2] = await Promise.all(requests)
    // the same Idempotency-Key three times: one ballot, one receipt
    expect([j1, j2, j3].map((r) => r!.statusCode).sort()).toEqual([200, 200, 201])
    expect(new Set([j1, j2, j3].map((r) => r!.json().receipt)).size).toBe(1)
    // co-owners at once: one of them
    expect([yi, bing].map((r) => r!.statusCode).sort()).toEqual([201, 409])
    expect(ten!.statusCode).toBe(403)
    expect(ding!.statusCode).toBe(201)
    expect([ji1, ji2].map((r) => r!.statusCode).sort()).toEqual([201, 409])
    const stored = await env.db.select().from(voteBallots).where(eq(voteBallots.voteId, vote.id))
    expect(stored.map((b) => b.ownerKey).sort()).toEqual([keys.jia, keys.yi, keys.ding, keys.ji].sort())
    const answered = [j1, j2, j3, yi, bing, ding, ji1, ji2]
      .filter((r) => r!.statusCode === 201)
      .map((r) => r!.json().receipt)
      .sort()
    expect(stored.map((b) => b.receipt).sort()).toEqual(answered)
  })
})

describe('proxies (委托)', () => {
  it('lets an owner appoint a proxy who then votes for them; the committee sees and can revoke it before that', async () => {
    const vote = await openVote()
    const [ding] = await entryOf(owners.ding, vote.id)
    const grant = await owners.ding.inject({
      method: 'POST',
      url: api(community, `/${vote.id}/proxies`),
      payload: {
        ownerKey: ding!.entry.ownerKey,
        proxyPhone: '13700000000',
        proxyName: '代理人',
        authorizationText: '本人丁四委托代理人代为参加本次业主大会表决。',
      },
    })
    expect(grant.statusCode, grant.body).toBe(201)
    expect(grant.json()).toMatchObject({ state: 'active', proxyPhoneMasked: '137****0000', rooms: ['1栋 202'] })
    const owned = await cast(owners.ding, vote.id, ding!.entry.ownerKey, all(vote.matters, 'no'))
    expect(owned.json().error.code).toBe('PROXY_ACTIVE')
    const seen = (await committee.inject({ method: 'GET', url: api(community, `/${vote.id}/proxies`) })).json().items
    expect(seen).toHaveLength(1)
    const revoked = await committee.inject({
      method: 'POST',
      url: api(community, `/${vote.id}/proxies/${seen[0].id}/revoke`),
      payload: { reason: '委托书缺少签名' },
    })
    expect(revoked.json()).toMatchObject({ state: 'revoked', revokeReason: '委托书缺少签名' })
    expect((await cast(proxyPerson, vote.id, ding!.entry.ownerKey, all(vote.matters, 'yes'))).statusCode).toBe(403)

    const regrant = await owners.ding.inject({
      method: 'POST',
      url: api(community, `/${vote.id}/proxies`),
      payload: {
        ownerKey: ding!.entry.ownerKey,
        proxyPhone: '13700000000',
        proxyName: '代理人',
        authorizationText: '本人丁四委托代理人代为参加本次业主大会表决（已签名）。',
      },
    })
    expect(regrant.statusCode).toBe(201)
    const [asProxy] = await entryOf(proxyPerson, vote.id)
    expect(asProxy).toMatchObject({ via: 'proxy', entry: { ownerKey: ding!.entry.ownerKey } })
    const voted = await cast(proxyPerson, vote.id, ding!.entry.ownerKey, all(vote.matters, 'yes'))
    expect(voted.statusCode).toBe(201)
    expect(voted.json().viaProxy).toBe(true)
    const after = (await committee.inject({ method: 'GET', url: api(community, `/${vote.id}/proxies`) })).json().items
    expect(after.map((p: { state: string }) => p.state)).toEqual(['revoked', 'used'])
    const late = await committee.inject({
      method: 'POST',
      url: api(community, `/${vote.id}/proxies/${after[1].id}/revoke`),
      payload: { reason: '太晚了' },
    })
    expect(late.statusCode).toBe(409)
  })
})

describe('a proxy’s written authorisation as photos of the signed paper', () => {
  const upload = async (s: Session) => {
    const m = multipart(jpegWithGps())
    const res = await s.inject({
      method: 'POST',
      url: `/api/v1/communities/${community}/photos`,
      payload: m.payload,
      headers: m.headers,
    })
    expect(res.statusCode, res.body).toBe(201)
    return res.json() as { id: number; url: string }
  }
  const grant = (s: Session, voteId: number, ownerKey: string, extra: Record<string, unknown>) =>
    s.inject({
      method: 'POST',
      url: api(community, `/${voteId}/proxies`),
      payload: { ownerKey, proxyPhone: '13700000000', proxyName: '代理人', ...extra },
    })

  it('takes photos instead of typed text, shows them to the committee through signed links, and logs their fingerprints', async () => {
    const vote = await openVote()
    const [ji] = await entryOf(owners.ji, vote.id)
    // neither text nor photos: nothing to show the committee
    const bare = await grant(owners.ji, vote.id, ji!.entry.ownerKey, {})
    expect(bare.statusCode).toBe(400)
    expect(bare.json().error.code).toBe('VALIDATION_FAILED')
    // someone else's upload cannot be used
    const notMine = await upload(owners.ding)
    expect(
      (await grant(owners.ji, vote.id, ji!.entry.ownerKey, { authorizationPhotoIds: [notMine.id] })).statusCode,
    ).toBe(400)

    const page1 = await upload(owners.ji)
    const page2 = await upload(owners.ji)
    const granted = await grant(owners.ji, vote.id, ji!.entry.ownerKey, { authorizationPhotoIds: [page1.id, page2.id] })
    expect(granted.statusCode, granted.body).toBe(201)
    expect(granted.json()).toMatchObject({
      state: 'active',
      authorizationText: null,
      authorizationPhotos: [{ id: page1.id }, { id: page2.id }],
    })

    const seen = (await committee.inject({ method: 'GET', url: api(community, `/${vote.id}/proxies`) })).json().items
    const mine = seen.find((p: { id: number }) => p.id === granted.json().id)
    expect(mine.authorizationPhotos.map((p: { id: number }) => p.id)).toEqual([page1.id, page2.id])
    const served = await env.app.inject({ method: 'GET', url: mine.authorizationPhotos[0].url })
    expect(served.statusCode).toBe(200)
    expect(served.headers['content-type']).toBe('image/jpeg')
    expect(served.rawPayload.includes(Buffer.from('GPSLatitude'))).toBe(false)

    const [event] = await env.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.stream, `vote:${vote.id}`), eq(auditEvents.action, 'proxy.granted')))
    const data = typeof event!.data === 'string' ? JSON.parse(event!.data) : event!.data
    const stored = await env.db.select().from(photos).where(eq(photos.proxyId, granted.json().id))
    expect(data.authorizationPhotoHashes).toEqual(
      [page1.id, page2.id].map((id) => stored.find((p) => p.id === id)!.sha256),
    )
    expect(data.authorizationHash).toBeNull()

    // attached once: the same photo cannot back another proxy
    const [yi] = await entryOf(owners.yi, vote.id)
    expect(
      (await grant(owners.yi, vote.id, yi!.entry.ownerKey, { authorizationPhotoIds: [page1.id] })).statusCode,
    ).toBe(400)
  })
})

describe('closing, tallying and verifying', () => {
  it('closes once at the end time with two instances, tallies with decideMatter, and the recount agrees', async () => {
    const vote = await openVote({ closesInMs: 2500 })
    const choices: Partial<Record<Owner, 'yes' | 'no' | 'abstain'>> = {
      jia: 'yes',
      yi: 'yes',
      ding: 'no',
      ji: 'abstain',
    }
    const receipts: Record<string, string> = {}
    for (const [who, choice] of Object.entries(choices) as [Owner, 'yes' | 'no' | 'abstain'][]) {
      const [e] = await entryOf(owners[who]!, vote.id)
      const res = await cast(owners[who]!, vote.id, e!.entry.ownerKey, all(vote.matters, choice))
      expect(res.statusCode, res.body).toBe(201)
      receipts[who] = res.json().receipt
    }
    // participation is live, per-option figures stay hidden until close
    const live = (await owners.jia.inject({ method: 'GET', url: api(community, `/${vote.id}`) })).json()
    expect(live.participation).toEqual({
      totalArea: TOTAL_AREA,
      totalOwners: TOTAL_OWNERS,
      participatingArea: 18000 + 9000 + 9000 + 10000,
      participatingOwners: 4,
    })
    expect(live.results).toBeNull()
    expect((await owners.jia.inject({ method: 'GET', url: api(community, `/${vote.id}/ballots`) })).statusCode).toBe(
      409,
    )

    // both instances poll every 100 ms; the close must happen exactly once
    const closed = await waitFor(
      () => owners.jia.inject({ method: 'GET', url: api(community, `/${vote.id}`) }).then((r) => r.json()),
      (d) => d.state === 'closed',
    )
    expect(closed.state).toBe('closed')
    await new Promise((r) => setTimeout(r, 400))
    const events = await env.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.stream, `vote:${vote.id}`))
    expect(events.filter((e) => e.action === 'vote.closed')).toHaveLength(1)
    expect(events.filter((e) => e.action === 'vote.tallied')).toHaveLength(1)
    expect(await env.db.select().from(voteTallies).where(eq(voteTallies.voteId, vote.id))).toHaveLength(2)
    expect(
      (
        await cast(
          owners.bing,
          vote.id,
          (
            await entryOf(owners.bing, vote.id)
          )[0]!.entry.ownerKey,
          all(vote.matters, 'yes'),
        )
      ).json().error.code,
    ).toBe('VOTE_NOT_OPEN')

    // the official figures are decideMatter's on these ballots
    const participating = { area: 46000, owners: 4 }
    for (const [i, m] of vote.matters.entries()) {
      const r = closed.results[i]
      expect(r.matterId).toBe(m.id)
      expect(r.official).toMatchObject({
        totalArea: TOTAL_AREA,
        totalOwners: TOTAL_OWNERS,
        participatingArea: participating.area,
        participatingOwners: 4,
        yesArea: 27000,
        yesOwners: 2,
        noArea: 9000,
        noOwners: 1,
        abstainArea: 10000,
        abstainOwners: 1,
      })
      const expected = decideMatter({
        category: m.category as never,
        totalArea: TOTAL_AREA,
        totalOwners: TOTAL_OWNERS,
        participatingArea: participating.area,
        participatingOwners: 4,
        yesArea: 27000,
        yesOwners: 2,
      })
      expect(r.official).toMatchObject(expected)
      expect(r.official.shares.participatingArea).toBe(6133) // 46000/75000 = 61.33%: below two thirds by area
      expect(r.official.quorumMet).toBe(false)
      expect(r.official.passed).toBe(false)
      expect(r.nonVotersFollowMajority).toBeNull()
    }

    // the public list and the receipt check
    const list = (await owners.ding.inject({ method: 'GET', url: api(community, `/${vote.id}/ballots`) })).json().items
    expect(list).toHaveLength(4)
    const jiaRow = list.find((b: { receipt: string }) => b.receipt === receipts.jia)
    expect(jiaRow).toMatchObject({ rooms: ['1栋 101', '1栋 102'], holdersMasked: ['甲*'], viaProxy: false })
    const check = (
      await owners.jia.inject({
        method: 'GET',
        url: api(community, `/${vote.id}/receipts/${receipts.jia!.toLowerCase()}`),
      })
    ).json()
    expect(check).toMatchObject({ found: true, counted: true })
    expect(
      (await owners.jia.inject({ method: 'GET', url: api(community, `/${vote.id}/receipts/ABCDEF12`) })).json().found,
    ).toBe(false)

    // the verification recounts from the ballots and re-walks the chain
    const verified = await verifyVote(env.db, vote.id)
    expect(verified).toMatchObject({
      recountMatches: true,
      chain: { ok: true },
      ballots: { ok: true, ballots: 4, unchained: 0, mismatched: 0 },
    })
    // every ballot is recorded in the chain (before the close), each once, with its own hash
    const log = await env.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.stream, `vote:${vote.id}`))
      .orderBy(auditEvents.seq)
    const actions = log.map((e) => e.action)
    expect(actions.slice(0, 3)).toEqual(['vote.drafted', 'vote.published', 'vote.opened'])
    expect(actions.slice(-2)).toEqual(['vote.closed', 'vote.tallied'])
    const recorded = log
      .filter((e) => e.action === 'ballots.recorded')
      .flatMap(
        (e) =>
          (typeof e.data === 'string' ? JSON.parse(e.data) : e.data).ballots as {
            receipt: string
            ballotHash: string
          }[],
      )
    expect(recorded.map((b) => b.receipt).sort()).toEqual(Object.values(receipts).sort())
    const ballotRows = await env.db.select().from(voteBallots).where(eq(voteBallots.voteId, vote.id))
    for (const b of ballotRows) expect(recorded.find((r) => r.receipt === b.receipt)?.ballotHash).toBe(b.ballotHash)

    // announce once
    const announced = await committee.inject({ method: 'POST', url: api(community, `/${vote.id}/announce`) })
    expect(announced.json().state).toBe('announced')
    expect((await committee.inject({ method: 'POST', url: api(community, `/${vote.id}/announce`) })).statusCode).toBe(
      409,
    )

    // a tampered ballot no longer recounts to the announced tally
    await env.db.execute(
      sql`UPDATE vote_ballots SET choices = ${JSON.stringify(all(vote.matters, 'yes'))} WHERE vote_id = ${vote.id} AND receipt = ${receipts.ding}`,
    )
    expect((await verifyVote(env.db, vote.id)).recountMatches).toBe(false)
    // and a ballot removed or slipped in afterwards no longer matches the log
    await env.db.execute(sql`DELETE FROM vote_ballots WHERE vote_id = ${vote.id} AND receipt = ${receipts.ji}`)
    expect((await verifyVote(env.db, vote.id)).ballots).toMatchObject({ ok: false, mismatched: 1 })
  })

  it('still verifies a vote whose log recorded one event per ballot, as votes did before batches', async () => {
    const vote = await openVote()
    const [ding] = await entryOf(owners.ding, vote.id)
    // a ballot as the earlier code stored it: its own ballot.cast event, appended to the vote's chain
    await env.db.insert(voteBallots).values({
      voteId: vote.id,
      ownerKey: ding!.entry.ownerKey,
      revision: 1,
      castByPersonId: owners.ding.personId,
      choices: all(vote.matters, 'yes'),
      receipt: 'LEGACY01',
      ballotHash: 'a'.repeat(64),
      idempotencyKey: 'legacy-1',
    })
    const { seq } = await env.db.transaction((tx) =>
      appendAudit(tx, {
        stream: `vote:${vote.id}`,
        action: 'ballot.cast',
        actorPersonId: owners.ding.personId,
        subjectType: 'ballot',
        subjectId: 'LEGACY01',
        data: { ownerKey: ding!.entry.ownerKey, revision: 1, ballotHash: 'a'.repeat(64), viaProxy: false },
      }),
    )
    await env.db
      .update(voteBallots)
      .set({ auditSeq: seq })
      .where(and(eq(voteBallots.voteId, vote.id), eq(voteBallots.receipt, 'LEGACY01')))
    expect((await verifyVote(env.db, vote.id)).ballots).toMatchObject({ ok: true, ballots: 1, mismatched: 0 })
    // and still notices a ballot that no longer matches its event
    await env.db
      .update(voteBallots)
      .set({ ballotHash: 'b'.repeat(64) })
      .where(and(eq(voteBallots.voteId, vote.id), eq(voteBallots.receipt, 'LEGACY01')))
    expect((await verifyVote(env.db, vote.id)).ballots).toMatchObject({ ok: false, mismatched: 1 })
  })

  it('lets a ballot change where the rules allow it: the last counts, earlier ones stay in the log', async () => {
    await env.db
      .update(communities)
      .set({ settings: { ballotChangeAllowed: true, nonVotersFollowMajority: true, earlyCloseAllowed: true } })
      .where(eq(communities.id, community))
    try {
      const vote = await openVote({ hide: false })
      const [jia] = await entryOf(owners.jia, vote.id)
      const first = (await cast(owners.jia, vote.id, jia!.entry.ownerKey, all(vote.matters, 'no'))).json()
      const changed = await cast(owners.jia, vote.id, jia!.entry.ownerKey, all(vote.matters, 'yes'))
      expect(changed.statusCode).toBe(201)
      expect(changed.json().revision).toBe(2)
      for (const who of ['yi', 'ding', 'ji'] as const) {
        const [e] = await entryOf(owners[who]!, vote.id)
        await cast(owners[who]!, vote.id, e!.entry.ownerKey, all(vote.matters, 'yes'))
      }
      // results are live when the vote does not hide them
      const live = (await owners.jia.inject({ method: 'GET', url: api(community, `/${vote.id}`) })).json()
      expect(live.results[0].official.yesOwners).toBe(4)
      const closed = (await committee.inject({ method: 'POST', url: api(community, `/${vote.id}/close`) })).json()
      expect(closed.state).toBe('closed')
      const official = closed.results[0].official
      expect(official).toMatchObject({ participatingOwners: 4, yesOwners: 4, quorumMet: false, passed: false })
      // the labelled second tally adds non-voters to the majority, and never changes the quorum
      const second = closed.results[0].nonVotersFollowMajority
      expect(second.followed).toBe('yes')
      expect(second.tally).toMatchObject({
        participatingOwners: TOTAL_OWNERS,
        yesOwners: TOTAL_OWNERS,
        quorumMet: false,
        passed: false,
      })
      const old = (
        await owners.jia.inject({ method: 'GET', url: api(community, `/${vote.id}/receipts/${first.receipt}`) })
      ).json()
      expect(old).toMatchObject({ found: true, counted: false })
      // both of jia's ballots are in the log, the earlier one too
      expect(await verifyVote(env.db, vote.id)).toMatchObject({
        recountMatches: true,
        ballots: { ok: true, ballots: 5 },
      })
      const log = await env.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.stream, `vote:${vote.id}`))
      const recorded = log
        .filter((e) => e.action === 'ballots.recorded')
        .flatMap(
          (e) =>
            (typeof e.data === 'string' ? JSON.parse(e.data) : e.data).ballots as {
              receipt: string
              revision: number
            }[],
        )
      expect(
        recorded
          .filter((b) => b.receipt === first.receipt || b.receipt === changed.json().receipt)
          .map((b) => b.revision)
          .sort(),
      ).toEqual([1, 2])
    } finally {
      await env.db.update(communities).set({ settings: {} }).where(eq(communities.id, community))
    }
  })

  it('refuses an early close unless the rules allow it, and extends with an announced reason', async () => {
    const vote = await openVote()
    const early = await committee.inject({ method: 'POST', url: api(community, `/${vote.id}/close`) })
    expect(early.statusCode).toBe(409)
    expect(early.json().error.code).toBe('EARLY_CLOSE_NOT_ALLOWED')
    const detail = (await committee.inject({ method: 'GET', url: api(community, `/${vote.id}`) })).json()
    const later = new Date(new Date(detail.closesAt).getTime() + 86_400_000).toISOString()
    const extended = await committee.inject({
      method: 'POST',
      url: api(community, `/${vote.id}/extend`),
      payload: { closesAt: later, reason: '参与人数未达三分之二，延长一天' },
    })
    expect(extended.statusCode).toBe(200)
    expect(extended.json()).toMatchObject({
      closesAt: later,
      extensions: [{ reason: '参与人数未达三分之二，延长一天', to: later }],
    })
    const shorter = await committee.inject({
      method: 'POST',
      url: api(community, `/${vote.id}/extend`),
      payload: { closesAt: detail.closesAt, reason: '缩短' },
    })
    expect(shorter.statusCode).toBe(400)
  })
})

describe('races the database settles', () => {
  const withRules = async (settings: Record<string, boolean>, f: () => Promise<void>) => {
    await env.db.update(communities).set({ settings }).where(eq(communities.id, community))
    try {
      await f()
    } finally {
      await env.db.update(communities).set({ settings: {} }).where(eq(communities.id, community))
    }
  }

  it('records every ballot in the hash-chained log moments after it is cast, while the vote is still open', async () => {
    const vote = await openVote()
    for (const who of ['jia', 'ding'] as const) {
      const [e] = await entryOf(owners[who], vote.id)
      expect((await cast(owners[who], vote.id, e!.entry.ownerKey, all(vote.matters, 'yes'))).statusCode).toBe(201)
    }
    const verified = await waitFor(
      () => verifyVote(env.db, vote.id),
      (v) => v.ballots.unchained === 0,
      5000,
    )
    expect(verified).toMatchObject({
      chain: { ok: true },
      ballots: { ok: true, ballots: 2, unchained: 0, mismatched: 0 },
    })
    expect((await env.db.select().from(votes).where(eq(votes.id, vote.id)))[0]!.state).toBe('open')
  })

  it('counts every ballot accepted while the vote was closing, and refuses every other one', async () => {
    await withRules({ earlyCloseAllowed: true }, async () => {
      // the close sent before, among and after the ballots
      for (const closeAt of [0, 2, 5]) {
        const vote = await openVote()
        const voters = (['jia', 'yi', 'bing', 'ding', 'ji'] as const).map((who) => owners[who])
        const keys = await Promise.all(voters.map(async (s) => (await entryOf(s, vote.id))[0]!.entry.ownerKey))
        const requests = voters.map((s, i) => () => cast(s, vote.id, keys[i]!, all(vote.matters, i % 2 ? 'no' : 'yes')))
        requests.splice(closeAt, 0, () =>
          committee.inject({ method: 'POST', url: api(community, `/${vote.id}/close`) }),
        )
        const replies = await Promise.all(requests.map((r) => r()))
        const close = replies[closeAt]!
        const answers = replies.filter((_, i) => i !== closeAt)
        expect(close.statusCode, close.body).toBe(200)
        for (const a of answers) expect([201, 409], a.body).toContain(a.statusCode)
        const accepted = answers.filter((a) => a.statusCode === 201)
        // co-owners 乙 and 丙 share one entry: at most one of them is accepted
        const acceptedEntries = new Set(accepted.map((a) => a.json().ownerKey))
        expect(acceptedEntries.size).toBe(accepted.length)
        for (const a of answers.filter((x) => x.statusCode === 409))
          expect(['VOTE_NOT_OPEN', 'BALLOT_ALREADY_CAST']).toContain(a.json().error.code)
        // what the close counted is exactly what was accepted: no ballot stored after it, none left out
        const counted = (await owners.jia.inject({ method: 'GET', url: api(community, `/${vote.id}`) })).json()
          .results[0].official.participatingOwners
        expect(counted).toBe(accepted.length)
        expect(await env.db.select().from(voteBallots).where(eq(voteBallots.voteId, vote.id))).toHaveLength(
          accepted.length,
        )
        expect(await verifyVote(env.db, vote.id)).toMatchObject({
          recountMatches: true,
          chain: { ok: true },
          ballots: { ok: true, unchained: 0 },
        })
      }
    })
  })

  it('gives a proxy granted while its owner is voting exactly one of the two outcomes', async () => {
    for (let round = 0; round < 4; round++) {
      const vote = await openVote()
      const [ding] = await entryOf(owners.ding, vote.id)
      const vote_ = () => cast(owners.ding, vote.id, ding!.entry.ownerKey, all(vote.matters, 'yes'))
      const grant = () =>
        owners.ding.inject({
          method: 'POST',
          url: api(community, `/${vote.id}/proxies`),
          payload: {
            ownerKey: ding!.entry.ownerKey,
            proxyPhone: '13700000000',
            proxyName: '代理人',
            authorizationText: '本人丁四委托代理人代为参加本次业主大会表决。',
          },
        })
      // either request may be sent first
      const [voted, granted] =
        round % 2
          ? await Promise.all([vote_(), grant()])
          : await Promise.all([grant(), vote_()]).then(([g, v]) => [v, g] as const)
      if (voted.statusCode === 201) {
        expect(granted.statusCode, granted.body).toBe(409)
        expect(granted.json().error.code).toBe('BALLOT_ALREADY_CAST')
      } else {
        expect(granted.statusCode, granted.body).toBe(201)
        expect(voted.json().error.code).toBe('PROXY_ACTIVE')
        expect(await env.db.select().from(voteBallots).where(eq(voteBallots.voteId, vote.id))).toHaveLength(0)
      }
    }
  })

  it('extends a vote whose close timer is firing, or refuses because it has just closed, never failing', async () => {
    for (const offsetMs of [-40, 0, 40]) {
      const vote = await openVote({ closesInMs: 1500 })
      const [row] = await env.db.select().from(votes).where(eq(votes.id, vote.id))
      await new Promise((r) => setTimeout(r, Math.max(0, row!.closesAt.getTime() - Date.now() + offsetMs)))
      const to = new Date(Date.now() + 3_600_000).toISOString()
      const extended = await committee.inject({
        method: 'POST',
        url: api(community, `/${vote.id}/extend`),
        payload: { closesAt: to, reason: '延长表决期' },
      })
      expect([200, 409], extended.body).toContain(extended.statusCode)
      // both instances poll every 100 ms: give the timer time to fire if it is still due
      await new Promise((r) => setTimeout(r, 400))
      const [after] = await env.db.select().from(votes).where(eq(votes.id, vote.id))
      if (extended.statusCode === 200) {
        expect(after!.state).toBe('open')
        expect(after!.closesAt.toISOString()).toBe(to)
      } else {
        expect(extended.json().error.code).toBe('INVALID_TRANSITION')
        expect(after!.state).toBe('closed')
      }
    }
  })
})

/** Runs f with the community's rules set as given (they are frozen into a vote when it is published). */
async function withSettings<T>(settings: Record<string, unknown>, f: () => Promise<T>): Promise<T> {
  await env.db.update(communities).set({ settings }).where(eq(communities.id, community))
  try {
    return await f()
  } finally {
    await env.db.update(communities).set({ settings: {} }).where(eq(communities.id, community))
  }
}

const DAY_MS = 86_400_000
const draftBody = (over: Record<string, unknown> = {}) => {
  const now = Date.now()
  return {
    title: '关于增设电动自行车充电桩的表决',
    noticeText: '方案：在1栋、2栋之间增设充电桩20个。预算：3.2万元，由公共收益支出。',
    matters: [
      { category: 8, text: '利用1栋、2栋之间的绿地增设充电桩' },
      { category: 9, text: '充电桩的收益计入公共收益' },
    ],
    announcedAt: new Date(now - 16 * DAY_MS).toISOString(),
    opensAt: new Date(now + DAY_MS).toISOString(),
    closesAt: new Date(now + 10 * DAY_MS).toISOString(),
    hideResultsUntilClose: true,
    ...over,
  }
}
const detailOf = async (s: Session, voteId: number) => {
  const res = await s.inject({ method: 'GET', url: api(community, `/${voteId}`) })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

describe('vote lists (首页, 议事, 表决管理)', () => {
  it('count every matter of each vote, in the residents’ list and in the committee’s with its drafts', async () => {
    const open = await openVote({
      matters: [
        { category: 4, text: '续聘示例物业服务有限公司' },
        { category: 6, text: '筹集维修资金' },
        { category: 9, text: '其他共同管理事项' },
      ],
    })
    const draft = await committee.inject({ method: 'POST', url: api(community), payload: draftBody() })
    expect(draft.statusCode, draft.body).toBe(201)
    const residents = (await owners.jia.inject({ method: 'GET', url: api(community) })).json().items as {
      id: number
      matterCount: number
    }[]
    expect(residents.find((v) => v.id === open.id)!.matterCount).toBe(3)
    const managed = (await committee.inject({ method: 'GET', url: api(community) })).json().items as {
      id: number
      matterCount: number
    }[]
    expect(managed.find((v) => v.id === open.id)!.matterCount).toBe(3)
    expect(managed.find((v) => v.id === draft.json().id)!.matterCount).toBe(2)
    // every vote of both lists carries the number of its own matters
    for (const v of managed)
      expect(v.matterCount, `vote ${v.id}`).toBe((await detailOf(committee, v.id)).matters.length)
    for (const v of residents)
      expect(v.matterCount, `vote ${v.id}`).toBe(managed.find((m) => m.id === v.id)!.matterCount)
  })
})

describe('committee actions: offered and authorised by the one shared rule', () => {
  /** A fresh vote in the given state, published under the given community rules. */
  async function voteIn(state: VoteState, settings: Record<string, unknown>): Promise<number> {
    return withSettings(settings, async () => {
      if (state === 'open' || state === 'closed' || state === 'announced') {
        const { id } = await openVote()
        if (state !== 'open')
          expect((await committee.inject({ method: 'POST', url: api(community, `/${id}/close`) })).statusCode).toBe(200)
        if (state === 'announced')
          expect((await committee.inject({ method: 'POST', url: api(community, `/${id}/announce`) })).statusCode).toBe(
            200,
          )
        return id
      }
      const { id } = (await committee.inject({ method: 'POST', url: api(community), payload: draftBody() })).json()
      if (state === 'published')
        expect((await committee.inject({ method: 'POST', url: api(community, `/${id}/publish`) })).statusCode).toBe(200)
      if (state === 'cancelled')
        expect(
          (
            await committee.inject({
              method: 'POST',
              url: api(community, `/${id}/cancel`),
              payload: { reason: '方案需要修改' },
            })
          ).statusCode,
        ).toBe(200)
      return id
    })
  }

  function perform(
    action: Exclude<CommitteeAction, 'revokeProxy'>,
    v: {
      id: number
      title: string
      noticeText: string
      matters: { category: number; text: string }[]
      announcedAt: string
      opensAt: string
      closesAt: string
    },
  ) {
    const url = api(community, `/${v.id}${action === 'edit' ? '' : `/${action}`}`)
    switch (action) {
      case 'edit':
        return committee.inject({
          method: 'PUT',
          url,
          payload: {
            title: v.title,
            noticeText: v.noticeText,
            matters: v.matters.map((m) => ({ category: m.category, text: m.text })),
            announcedAt: v.announcedAt,
            opensAt: v.opensAt,
            closesAt: v.closesAt,
          },
        })
      case 'cancel':
        return committee.inject({ method: 'POST', url, payload: { reason: '方案需要修改' } })
      case 'extend':
        return committee.inject({
          method: 'POST',
          url,
          payload: {
            closesAt: new Date(Date.parse(v.closesAt) + DAY_MS).toISOString(),
            reason: '参与人数不足，延长一天',
          },
        })
      default:
        return committee.inject({ method: 'POST', url })
    }
  }

  const cases: [VoteState, Record<string, unknown>][] = [
    ['draft', {}],
    ['published', {}],
    ['open', {}],
    ['open', { earlyCloseAllowed: true }],
    ['closed', { earlyCloseAllowed: true }],
    ['announced', { earlyCloseAllowed: true }],
    ['cancelled', {}],
  ]
  it.each(cases)(
    'a %s vote (rules %j): each action the rule allows succeeds, each it refuses is refused with its code',
    async (state, settings) => {
      for (const action of COMMITTEE_ACTIONS) {
        if (action === 'revokeProxy') continue
        const id = await voteIn(state, settings)
        const before = await detailOf(committee, id)
        expect(before.state).toBe(state)
        const verdict = committeeActions(before)[action]
        const res = await perform(action, before)
        if (verdict.allowed) {
          expect(res.statusCode, `${action} on a ${state} vote: ${res.body}`).toBeLessThan(300)
        } else {
          expect(res.statusCode, `${action} on a ${state} vote: ${res.body}`).toBe(ErrorCodes[verdict.code].status)
          expect(res.json().error.code).toBe(verdict.code)
          expect((await detailOf(committee, id)).state).toBe(state)
        }
      }
    },
  )

  it('offers no early close where the rules forbid it, and keeps the rule the vote was published with', async () => {
    const forbidden = await voteIn('open', {})
    const allowed = await voteIn('open', { earlyCloseAllowed: true })
    // the community changes its rules afterwards: votes already published keep theirs
    await withSettings({ earlyCloseAllowed: true }, async () => {
      const d = await detailOf(committee, forbidden)
      expect(d.earlyCloseAllowed).toBe(false)
      expect(committeeActions(d).close).toMatchObject({ allowed: false, code: 'EARLY_CLOSE_NOT_ALLOWED' })
      const res = await committee.inject({ method: 'POST', url: api(community, `/${forbidden}/close`) })
      expect(res.statusCode).toBe(409)
      expect(res.json().error.code).toBe('EARLY_CLOSE_NOT_ALLOWED')
    })
    const d = await detailOf(committee, allowed)
    expect(d.earlyCloseAllowed).toBe(true)
    expect(committeeActions(d).close.allowed).toBe(true)
    expect((await committee.inject({ method: 'POST', url: api(community, `/${allowed}/close`) })).json().state).toBe(
      'closed',
    )
    // the list carries what the manage page needs to offer the same buttons
    const listed = (await committee.inject({ method: 'GET', url: api(community) }))
      .json()
      .items.find((v: { id: number }) => v.id === forbidden)
    expect(committeeActions(listed).close.allowed).toBe(false)
  })

  it('reminds non-voters one round a day: a repeat the same day is accepted and moves nothing', async () => {
    const { id } = await openVote({ closesInMs: 3 * DAY_MS })
    expect(committeeActions(await detailOf(committee, id)).remind.allowed).toBe(true)
    const first = await committee.inject({ method: 'POST', url: api(community, `/${id}/remind`) })
    expect(first.statusCode, first.body).toBe(200)
    const after = await detailOf(committee, id)
    expect(after.lastRemindedAt).not.toBeNull()
    expect(remindedThisRound(after)).toBe(true)
    expect(committeeActions(after).remind.allowed).toBe(true)
    const again = await committee.inject({ method: 'POST', url: api(community, `/${id}/remind`) })
    expect(again.statusCode).toBe(200)
    // the round began with the first request; the next day is a new round
    expect((await detailOf(committee, id)).lastRemindedAt).toBe(after.lastRemindedAt)
    expect(remindedThisRound(after, Date.parse(after.lastRemindedAt) + DAY_MS)).toBe(false)
  })

  it('lets no proxy be revoked or withdrawn once the vote has closed', async () => {
    const vote = await withSettings({ earlyCloseAllowed: true }, () => openVote())
    const [ding] = await entryOf(owners.ding, vote.id)
    const grant = await owners.ding.inject({
      method: 'POST',
      url: api(community, `/${vote.id}/proxies`),
      payload: {
        ownerKey: ding!.entry.ownerKey,
        proxyPhone: '13700000000',
        proxyName: '代理人',
        authorizationText: '本人丁四委托代理人代为参加本次业主大会表决。',
      },
    })
    expect(grant.statusCode, grant.body).toBe(201)
    expect((await committee.inject({ method: 'POST', url: api(community, `/${vote.id}/close`) })).statusCode).toBe(200)
    const d = await detailOf(committee, vote.id)
    expect(committeeActions(d).revokeProxy).toMatchObject({ allowed: false, code: 'INVALID_TRANSITION' })
    const revoke = await committee.inject({
      method: 'POST',
      url: api(community, `/${vote.id}/proxies/${grant.json().id}/revoke`),
      payload: { reason: '太晚了' },
    })
    expect(revoke.statusCode).toBe(409)
    expect(revoke.json().error.code).toBe('INVALID_TRANSITION')
    expect(
      (await owners.ding.inject({ method: 'DELETE', url: api(community, `/${vote.id}/proxies/${grant.json().id}`) }))
        .statusCode,
    ).toBe(409)
  })
})

describe('who sees how each flat voted (choicesVisibleTo, frozen at publish)', () => {
  async function closedVote(settings: Record<string, unknown>) {
    return withSettings({ earlyCloseAllowed: true, ...settings }, async () => {
      const vote = await openVote()
      const receipts: Partial<Record<Owner, string>> = {}
      for (const [who, choice] of [
        ['jia', 'yes'],
        ['ding', 'no'],
      ] as const) {
        const [e] = await entryOf(owners[who], vote.id)
        const res = await cast(owners[who], vote.id, e!.entry.ownerKey, all(vote.matters, choice))
        expect(res.statusCode, res.body).toBe(201)
        receipts[who] = res.json().receipt
      }
      expect((await committee.inject({ method: 'POST', url: api(community, `/${vote.id}/close`) })).statusCode).toBe(
        200,
      )
      return { vote, receipts: receipts as Record<'jia' | 'ding', string> }
    })
  }
  const ballotsSeenBy = async (s: Session, voteId: number) => {
    const res = await s.inject({ method: 'GET', url: api(community, `/${voteId}/ballots`) })
    expect(res.statusCode, res.body).toBe(200)
    return res.json().items as {
      receipt: string
      rooms: string[]
      choices: { matterId: number; choice: string }[] | null
    }[]
  }
  const lookup = async (s: Session, voteId: number, receipt: string) =>
    (await s.inject({ method: 'GET', url: api(community, `/${voteId}/receipts/${receipt}`) })).json()

  it('by default shows the choices to the owners of the vote only; family members and tenants see rooms and receipts', async () => {
    const { vote, receipts } = await closedVote({})
    expect((await detailOf(tenant, vote.id)).choicesVisibleTo).toBe('owners')
    for (const s of [tenant, family]) {
      const list = await ballotsSeenBy(s, vote.id)
      expect(list.map((b) => b.receipt).sort()).toEqual(Object.values(receipts).sort())
      expect(list.find((b) => b.receipt === receipts.jia)!.rooms).toEqual(['1栋 101', '1栋 102'])
      expect(list.every((b) => b.choices === null)).toBe(true)
      const check = await lookup(s, vote.id, receipts.jia)
      expect(check).toMatchObject({
        found: true,
        counted: true,
        ballot: { receipt: receipts.jia, rooms: ['1栋 101', '1栋 102'], choices: null },
      })
    }
    // an owner of the roll who did not vote may inspect every signed ballot (解释第十三条)
    const seenByJi = await ballotsSeenBy(owners.ji, vote.id)
    expect(seenByJi.find((b) => b.receipt === receipts.ding)!.choices).toEqual(
      all(vote.matters, 'no').sort((a, b) => a.matterId - b.matterId),
    )
    expect((await lookup(owners.ji, vote.id, receipts.jia)).ballot.choices).not.toBeNull()
    // the rule is the vote's: changing the community's setting afterwards changes nothing
    await withSettings({ ballotChoicesVisibleTo: 'residents' }, async () => {
      expect((await ballotsSeenBy(tenant, vote.id)).every((b) => b.choices === null)).toBe(true)
    })
  })

  it('shows every resident the choices where the community decided so', async () => {
    const { vote, receipts } = await closedVote({ ballotChoicesVisibleTo: 'residents' })
    expect((await detailOf(tenant, vote.id)).choicesVisibleTo).toBe('residents')
    expect((await ballotsSeenBy(tenant, vote.id)).every((b) => b.choices !== null)).toBe(true)
    expect((await lookup(family, vote.id, receipts.ding)).ballot.choices).not.toBeNull()
  })

  it('shows each flat only its own choices where the community decided so', async () => {
    const { vote, receipts } = await closedVote({ ballotChoicesVisibleTo: 'voter' })
    const seenByJia = await ballotsSeenBy(owners.jia, vote.id)
    expect(seenByJia.find((b) => b.receipt === receipts.jia)!.choices).not.toBeNull()
    expect(seenByJia.find((b) => b.receipt === receipts.ding)!.choices).toBeNull()
    expect((await lookup(owners.ji, vote.id, receipts.jia)).ballot.choices).toBeNull()
    expect((await lookup(owners.ding, vote.id, receipts.ding)).ballot.choices).not.toBeNull()
  })
})

describe('the notice period (15 days: 物业管理条例 第十四条, 指导规则 第二十二条)', () => {
  it('refuses a short-notice publish unless confirmed with a reason, keeps both in the hash-chained log and shows voters', async () => {
    const now = Date.now()
    const created = await committee.inject({
      method: 'POST',
      url: api(community),
      payload: draftBody({
        announcedAt: new Date(now).toISOString(),
        opensAt: new Date(now + 3 * DAY_MS + 3_600_000).toISOString(),
        closesAt: new Date(now + 10 * DAY_MS).toISOString(),
      }),
    })
    const id = created.json().id
    expect(created.json()).toMatchObject({ noticeDays: 3, noticeTooShort: true, shortNoticeReason: null })
    const publish = (payload?: unknown) =>
      committee.inject({
        method: 'POST',
        url: api(community, `/${id}/publish`),
        ...(payload === undefined ? {} : { payload: payload as object }),
      })

    const bare = await publish()
    expect(bare.statusCode).toBe(422)
    expect(bare.json().error).toMatchObject({
      code: 'SHORT_NOTICE_UNCONFIRMED',
      details: { noticeDays: 3, shortByDays: 12, minimumDays: 15 },
    })
    expect((await publish({})).json().error.code).toBe('SHORT_NOTICE_UNCONFIRMED')
    // a confirmation of another notice than the vote's (the draft changed meanwhile) does not count
    expect(
      (await publish({ shortNotice: { confirmed: true, noticeDays: 5, reason: '电梯停运，须尽快决定' } })).json().error
        .code,
    ).toBe('SHORT_NOTICE_UNCONFIRMED')
    for (const bad of [
      { shortNotice: { confirmed: true, noticeDays: 3 } },
      { shortNotice: { confirmed: true, noticeDays: 3, reason: '急' } },
      { shortNotice: { confirmed: false, noticeDays: 3, reason: '电梯停运，须尽快决定' } },
      { shortNotice: { confirmed: true, noticeDays: 3, reason: '    ' } },
    ]) {
      const res = await publish(bad)
      expect(res.statusCode, JSON.stringify(bad)).toBe(400)
      expect(res.json().error.code).toBe('VALIDATION_FAILED')
    }
    // nothing was frozen by the refused attempts
    expect((await detailOf(committee, id)).state).toBe('draft')
    expect((await committee.inject({ method: 'GET', url: api(community, `/${id}/roll`) })).statusCode).toBe(409)

    const reason = '3号楼电梯停运，维修方案须尽快决定'
    const ok = await publish({ shortNotice: { confirmed: true, noticeDays: 3, reason } })
    expect(ok.statusCode, ok.body).toBe(200)
    // voters see that the notice was short, by how much and why
    const seen = await detailOf(owners.jia, id)
    expect(seen).toMatchObject({ state: 'published', noticeDays: 3, noticeTooShort: true, shortNoticeReason: reason })
    expect(noticePeriod(seen.announcedAt, seen.opensAt).shortByDays).toBe(12)

    const events = await env.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.stream, `vote:${id}`))
      .orderBy(auditEvents.seq)
    const published = events.find((e) => e.action === 'vote.published')!
    expect(published.actorPersonId).toBe(committee.personId)
    const data = typeof published.data === 'string' ? JSON.parse(published.data) : published.data
    expect(data.notice).toMatchObject({
      days: 3,
      minimumDays: 15,
      shortNotice: { confirmed: true, law: NOTICE_LAW, shortByDays: 12, reason },
    })
    expect(NOTICE_LAW).toContain('第二十二条')
    expect(await verifyStream(env.db, `vote:${id}`)).toMatchObject({ ok: true })
  })

  it('publishes a full notice without a confirmation, and records no reason even if one is sent', async () => {
    const { id } = (await committee.inject({ method: 'POST', url: api(community), payload: draftBody() })).json()
    const ok = await committee.inject({
      method: 'POST',
      url: api(community, `/${id}/publish`),
      payload: { shortNotice: { confirmed: true, noticeDays: 17, reason: '无需确认' } },
    })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json()).toMatchObject({ noticeDays: 17, noticeTooShort: false, shortNoticeReason: null })
    const [event] = await env.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.stream, `vote:${id}`), eq(auditEvents.action, 'vote.published')))
    const data = typeof event!.data === 'string' ? JSON.parse(event!.data) : event!.data
    expect(data.notice).toMatchObject({ days: 17, shortNotice: null })
  })
})

describe('receipt lookup', () => {
  it('says what is wrong with a mistyped receipt, by the same rule the mini-program checks with', async () => {
    const vote = await openVote()
    const [jia] = await entryOf(owners.jia, vote.id)
    const receipt = (await cast(owners.jia, vote.id, jia!.entry.ownerKey, all(vote.matters, 'yes'))).json()
      .receipt as string
    for (const typed of ['ABC', `${receipt}1`, 'OOOOOOOO', 'ghijklmn', 'A'.repeat(70), '回执码']) {
      const res = await owners.jia.inject({
        method: 'GET',
        url: api(community, `/${vote.id}/receipts/${encodeURIComponent(typed)}`),
      })
      expect(res.statusCode, typed).toBe(400)
      const expected = checkReceiptCode(typed)
      expect(expected.ok).toBe(false)
      expect(res.json().error).toMatchObject({
        code: 'RECEIPT_MALFORMED',
        message: expected.ok ? '' : expected.message,
      })
    }
    // small letters, spaces and full-width characters are the same receipt
    const fullWidth = receipt.replace(/[0-9A-F]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))
    for (const typed of [receipt.toLowerCase(), `${receipt.slice(0, 4)} ${receipt.slice(4)}`, fullWidth]) {
      const res = await owners.jia.inject({
        method: 'GET',
        url: api(community, `/${vote.id}/receipts/${encodeURIComponent(typed)}`),
      })
      expect(res.statusCode, typed).toBe(200)
      expect(res.json()).toMatchObject({ found: true, ballot: { receipt } })
    }
  })
})
