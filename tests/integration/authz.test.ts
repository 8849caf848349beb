import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { communityRoles, memberships } from '@linli/bff/db/schema'
import { login, phoneCode, startTestEnv, type Session, type TestEnv } from '../helpers/app'
import { buildWorld, unitId, type World } from '../helpers/world'

/**
 * The authorization matrix: every route that touches community or household data, called by people of the
 * right community and role, of the other community, of the wrong role, and by nobody. Changing an id in the
 * path must never reveal or change another community's or household's data.
 */
let env: TestEnv
let w: World
let pendingA: number // an application in community A
let pendingB: number // an application in community B
beforeAll(async () => {
  env = await startTestEnv()
  w = await buildWorld(env)
  const applicantA = await login(env, 'openid-applicant-a')
  pendingA = (
    await applicantA.inject({
      method: 'POST',
      url: '/api/v1/memberships',
      payload: { unitId: await unitId(env, w.a.id, '2栋', '202'), relation: 'family' },
    })
  ).json().id
  const applicantB = await login(env, 'openid-applicant-b')
  pendingB = (
    await applicantB.inject({
      method: 'POST',
      url: '/api/v1/memberships',
      payload: { unitId: await unitId(env, w.b.id, '1栋', '202'), relation: 'family' },
    })
  ).json().id
})
afterAll(async () => env?.close())

type Who = keyof World['people'] | 'anonymous'
const call = (
  who: Who,
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
) =>
  who === 'anonymous'
    ? env.app.inject({ method, url, payload, headers })
    : (w.people[who] as Session).inject({ method, url, payload, headers })

interface Case {
  name: string
  method: 'GET' | 'POST' | 'DELETE'
  url: () => string
  payload?: () => object
  headers?: Record<string, string>
  allowed: Who[]
  /** status for people not allowed (403 for role checks, 404 where the id is scoped away) */
  denied: Partial<Record<Who, number>>
}

const reviewers: Who[] = ['committeeA', 'workerA', 'admin']
const outsidersOfA: Partial<Record<Who, number>> = {
  residentA: 403,
  neighbourA: 403,
  committeeB: 403,
  residentB: 403,
  outsider: 403,
  anonymous: 401,
}

const cases: Case[] = [
  {
    name: 'list applications',
    method: 'GET',
    url: () => `/api/v1/communities/${w.a.id}/memberships`,
    allowed: reviewers,
    denied: outsidersOfA,
  },
  {
    name: 'read roster',
    method: 'GET',
    url: () => `/api/v1/communities/${w.a.id}/roster`,
    allowed: reviewers,
    denied: outsidersOfA,
  },
  {
    name: 'import roster',
    method: 'POST',
    url: () => `/api/v1/communities/${w.a.id}/roster`,
    payload: () => '1栋,101,residence,90.00,register,张三,13910000000' as unknown as object,
    headers: { 'content-type': 'text/csv' },
    allowed: reviewers,
    denied: outsidersOfA,
  },
  {
    name: 'list roles',
    method: 'GET',
    url: () => `/api/v1/communities/${w.a.id}/roles`,
    allowed: ['workerA', 'admin'],
    denied: { ...outsidersOfA, committeeA: 403 },
  },
  {
    name: 'find people to appoint',
    method: 'GET',
    url: () => `/api/v1/communities/${w.a.id}/role-candidates?q=1栋`,
    allowed: ['workerA', 'admin'],
    denied: { ...outsidersOfA, committeeA: 403 },
  },
]

describe.each(cases)('$name', (c) => {
  it.each(c.allowed)('is allowed for %s', async (who) => {
    const res = await call(who, c.method, c.url(), c.payload?.(), c.headers)
    expect(res.statusCode, res.body).toBeLessThan(300)
  })
  it.each(Object.entries(c.denied) as [Who, number][])('is refused for %s', async (who, status) => {
    const res = await call(who, c.method, c.url(), c.payload?.(), c.headers)
    expect(res.statusCode, res.body).toBe(status)
    expect(res.json().error.code).toBe(status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN')
  })
})

describe('deciding applications', () => {
  it('is refused to residents, other communities and nobodies, and changes nothing', async () => {
    for (const [who, status] of Object.entries(outsidersOfA) as [Who, number][]) {
      for (const action of ['approve', 'reject']) {
        const res = await call(
          who,
          'POST',
          `/api/v1/communities/${w.a.id}/memberships/${pendingA}/${action}`,
          action === 'reject' ? { reason: '不同意' } : undefined,
        )
        expect(res.statusCode, `${who} ${action}`).toBe(status)
      }
    }
    const [row] = await env.db.select().from(memberships).where(eq(memberships.id, pendingA))
    expect(row!.state).toBe('pending')
  })

  it('cannot reach another community’s application by putting its id under one’s own community', async () => {
    // committee B is a reviewer of B, and asks for A's application through B's path
    const res = await call('committeeB', 'POST', `/api/v1/communities/${w.b.id}/memberships/${pendingA}/approve`)
    expect(res.statusCode).toBe(404)
    const list = (await call('committeeB', 'GET', `/api/v1/communities/${w.b.id}/memberships?state=pending`)).json()
      .items
    expect(list.map((m: { id: number }) => m.id)).toEqual([pendingB])
    const [row] = await env.db.select().from(memberships).where(eq(memberships.id, pendingA))
    expect(row!.state).toBe('pending')
  })
})

describe('household privacy', () => {
  it('shows each person only their own households', async () => {
    const mine = (await call('residentA', 'GET', '/api/v1/memberships')).json().items
    expect(mine).toHaveLength(1)
    expect(mine[0].unit.number).toBe('101')
    const me = (await call('neighbourA', 'GET', '/api/v1/me')).json()
    expect(me.households.map((h: { unit: { number: string } }) => h.unit.number)).toEqual(['102'])
  })

  it('does not let a neighbour withdraw someone else’s membership', async () => {
    const [m] = await env.db.select().from(memberships).where(eq(memberships.personId, w.people.residentA.personId))
    const res = await call('neighbourA', 'DELETE', `/api/v1/memberships/${m!.id}`)
    expect(res.statusCode).toBe(404)
    expect(await env.db.select().from(memberships).where(eq(memberships.id, m!.id))).toHaveLength(1)
  })

  it('does not show a building of one community under another community’s id', async () => {
    const res = await call('residentA', 'GET', `/api/v1/communities/${w.a.id}/buildings/${w.b.buildingId}/units`)
    expect(res.statusCode).toBe(404)
  })

  it('requires a login for every personal or community route', async () => {
    for (const url of [
      '/api/v1/me',
      '/api/v1/memberships',
      '/api/v1/communities',
      `/api/v1/communities/${w.a.id}/buildings`,
    ]) {
      expect((await call('anonymous', 'GET', url)).statusCode, url).toBe(401)
    }
    expect((await call('anonymous', 'POST', '/api/v1/memberships', { unitId: 1, relation: 'owner' })).statusCode).toBe(
      401,
    )
    expect((await call('anonymous', 'POST', '/api/v1/me/phone', { code: 'x' })).statusCode).toBe(401)
  })
})

/** A verified owner of a unit of community A (a committee member must be one: 物业管理条例 第十六条). */
async function ownerOf(s: Session, building: string, number: string, relation: 'owner' | 'family' = 'owner') {
  await env.db.insert(memberships).values({
    personId: s.personId,
    unitId: await unitId(env, w.a.id, building, number),
    communityId: w.a.id,
    relation,
    state: 'verified',
    method: 'committee_review',
    reviewedAt: new Date(),
  })
}

describe('role management', () => {
  it('lets a community worker appoint committee members of their community only', async () => {
    const target = await login(env, 'openid-new-committee')
    await ownerOf(target, '2栋', '101')
    const res = await call('workerA', 'POST', `/api/v1/communities/${w.a.id}/roles`, {
      personId: target.personId,
      role: 'committee',
    })
    expect(res.statusCode).toBe(204)
    expect(
      (
        await call('workerA', 'POST', `/api/v1/communities/${w.a.id}/roles`, {
          personId: target.personId,
          role: 'committee',
        })
      ).statusCode,
    ).toBe(409)
    expect(
      (
        await call('workerA', 'POST', `/api/v1/communities/${w.b.id}/roles`, {
          personId: target.personId,
          role: 'committee',
        })
      ).statusCode,
    ).toBe(403)
    expect(
      (
        await call('committeeA', 'POST', `/api/v1/communities/${w.a.id}/roles`, {
          personId: target.personId,
          role: 'committee',
        })
      ).statusCode,
    ).toBe(403)
    // the new committee member can review now
    expect((await target.inject({ method: 'GET', url: `/api/v1/communities/${w.a.id}/memberships` })).statusCode).toBe(
      200,
    )
    expect(
      (await call('workerA', 'DELETE', `/api/v1/communities/${w.a.id}/roles/${target.personId}/committee`)).statusCode,
    ).toBe(204)
    expect((await target.inject({ method: 'GET', url: `/api/v1/communities/${w.a.id}/memberships` })).statusCode).toBe(
      403,
    )
  })

  it('reserves appointing community workers to platform admins', async () => {
    const target = await login(env, 'openid-new-worker')
    expect(
      (
        await call('workerA', 'POST', `/api/v1/communities/${w.a.id}/roles`, {
          personId: target.personId,
          role: 'worker',
        })
      ).statusCode,
    ).toBe(403)
    expect(
      (
        await call('admin', 'POST', `/api/v1/communities/${w.a.id}/roles`, {
          personId: target.personId,
          role: 'worker',
        })
      ).statusCode,
    ).toBe(204)
    const rows = await env.db.select().from(communityRoles).where(eq(communityRoles.personId, target.personId))
    expect(rows.map((r) => r.role)).toEqual(['worker'])
    // and removing one too; a platform admin may also appoint committee members
    expect(
      (await call('workerA', 'DELETE', `/api/v1/communities/${w.a.id}/roles/${target.personId}/worker`)).statusCode,
    ).toBe(403)
    expect(
      (
        await call('admin', 'POST', `/api/v1/communities/${w.a.id}/roles`, {
          personId: w.people.residentA.personId,
          role: 'committee',
        })
      ).statusCode,
    ).toBe(204)
    expect(
      (await call('admin', 'DELETE', `/api/v1/communities/${w.a.id}/roles/${w.people.residentA.personId}/committee`))
        .statusCode,
    ).toBe(204)
  })

  it('appoints as committee members only verified owners or co-owners of the community', async () => {
    const stranger = await login(env, 'openid-committee-stranger')
    const res = await call('workerA', 'POST', `/api/v1/communities/${w.a.id}/roles`, {
      personId: stranger.personId,
      role: 'committee',
    })
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('ROLE_NOT_ELIGIBLE')
    const relative = await login(env, 'openid-committee-family')
    await ownerOf(relative, '2栋', '102', 'family')
    expect(
      (
        await call('workerA', 'POST', `/api/v1/communities/${w.a.id}/roles`, {
          personId: relative.personId,
          role: 'committee',
        })
      ).json().error.code,
    ).toBe('ROLE_NOT_ELIGIBLE')
    // an owner in community B is not an owner in A
    expect(
      (
        await call('workerA', 'POST', `/api/v1/communities/${w.a.id}/roles`, {
          personId: w.people.residentB.personId,
          role: 'committee',
        })
      ).json().error.code,
    ).toBe('ROLE_NOT_ELIGIBLE')
    expect(await env.db.select().from(communityRoles).where(eq(communityRoles.personId, relative.personId))).toEqual([])
  })

  it('finds people to appoint by name or room among verified residents of the community only, or by a whole phone number', async () => {
    const find = async (q: string, who: Who = 'workerA') => {
      const res = await call(who, 'GET', `/api/v1/communities/${w.a.id}/role-candidates?q=${encodeURIComponent(q)}`)
      expect(res.statusCode, res.body).toBe(200)
      return res.json().items as {
        personId: number
        displayName: string
        homes: { buildingName: string; number: string; relation: string }[]
        roles: string[]
      }[]
    }
    const byRoom = await find('1栋 101')
    expect(byRoom.map((c) => c.personId)).toEqual([w.people.residentA.personId])
    expect(byRoom[0]!.homes).toEqual([{ buildingName: '1栋', number: '101', relation: 'owner' }])
    expect(Object.keys(byRoom[0]!).sort()).toEqual(['displayName', 'homes', 'personId', 'roles', 'statedName'])
    expect((await find('102')).map((c) => c.personId)).toContain(w.people.neighbourA.personId)
    await w.people.neighbourA.inject({ method: 'PATCH', url: '/api/v1/me', payload: { displayName: '隔壁老陈' } })
    expect((await find('老陈')).map((c) => c.personId)).toEqual([w.people.neighbourA.personId])
    // B's resident, the outsider and pending applicants are not residents of A
    const everyone = await find('栋')
    expect(everyone.map((c) => c.personId)).not.toContain(w.people.residentB.personId)
    expect(everyone.map((c) => c.personId)).not.toContain(w.people.outsider.personId)
    // a whole mobile number finds whoever bound it, resident or not (a community worker need not live there)
    await w.people.outsider.inject({
      method: 'POST',
      url: '/api/v1/me/phone',
      payload: { code: await phoneCode(env, '13700001111') },
    })
    expect((await find('137 0000 1111', 'admin')).map((c) => c.personId)).toEqual([w.people.outsider.personId])
    expect(await find('1370000')).toEqual([])
    expect((await call('workerA', 'GET', `/api/v1/communities/${w.a.id}/role-candidates?q=`)).statusCode).toBe(400)
  })
})
