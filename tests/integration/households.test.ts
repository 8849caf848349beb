import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { memberships } from '@linli/bff/db/schema'
import { verifyStream } from '@linli/bff/modules/audit/service'
import { login, phoneCode, startTestEnv, type TestEnv } from '../helpers/app'
import { buildWorld, unitId, type World } from '../helpers/world'

let env: TestEnv
let world: World
beforeAll(async () => {
  env = await startTestEnv()
  world = await buildWorld(env)
})
afterAll(async () => env?.close())

describe('binding a household', () => {
  it('lets a resident pick community → building → unit and apply; the committee approves; the profile shows it verified', async () => {
    const li = await login(env, 'openid-li')
    const communities = (await li.inject({ method: 'GET', url: '/api/v1/communities?q=测试小区A' })).json().items
    expect(communities).toEqual([{ id: world.a.id, name: '测试小区A', district: '甲区' }])
    const buildings = (await li.inject({ method: 'GET', url: `/api/v1/communities/${world.a.id}/buildings` })).json().items
    expect(buildings.map((b: { name: string }) => b.name)).toEqual(['1栋', '2栋'])
    const units = (await li.inject({ method: 'GET', url: `/api/v1/communities/${world.a.id}/buildings/${buildings[0].id}/units` })).json().items
    expect(units.map((u: { number: string }) => u.number)).toEqual(['101', '102', '201', '202'])
    // nothing about owners or area leaks to someone who merely browses
    expect(Object.keys(units[0]).sort()).toEqual(['id', 'kind', 'number'])

    const applied = await li.inject({ method: 'POST', url: '/api/v1/memberships', payload: { unitId: units[2].id, relation: 'family' } })
    expect(applied.statusCode).toBe(201)
    const m = applied.json()
    expect(m).toMatchObject({ relation: 'family', state: 'pending', method: null, unit: { number: '201', buildingName: '1栋', communityName: '测试小区A' } })

    const pending = (await world.people.committeeA.inject({ method: 'GET', url: `/api/v1/communities/${world.a.id}/memberships?state=pending` })).json().items
    const item = pending.find((p: { id: number }) => p.id === m.id)
    expect(item.applicant.displayName).toMatch(/^邻居/)
    expect(item.rosterOwners).toHaveLength(1)
    expect(item.rosterOwners[0].nameMasked).toMatch(/^.\*+$/)
    expect(item.rosterOwners[0].phoneMasked).toMatch(/^1\d{2}\*{4}\d{4}$/)

    const approved = await world.people.committeeA.inject({ method: 'POST', url: `/api/v1/communities/${world.a.id}/memberships/${m.id}/approve` })
    expect(approved.statusCode).toBe(200)
    expect(approved.json().state).toBe('verified')

    const me = (await li.inject({ method: 'GET', url: '/api/v1/me' })).json()
    expect(me.households).toEqual([expect.objectContaining({ id: m.id, state: 'verified', method: 'committee_review', reviewedAt: expect.any(String) })])

    // approving twice is an invalid transition, not a silent success
    const again = await world.people.committeeA.inject({ method: 'POST', url: `/api/v1/communities/${world.a.id}/memberships/${m.id}/approve` })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('INVALID_TRANSITION')
  })

  it('verifies an owner at once when the bound phone is on the roster, in either order', async () => {
    const uid = await unitId(env, world.a.id, '2栋', '101')
    const [owner] = await env.db.select().from(memberships).where(eq(memberships.unitId, uid))
    expect(owner).toBeUndefined()
    // the roster phone of 2栋-101 in demoRoster(2,2,2) is the 5th generated number
    const rosterPhone = '13910000004'
    const wang = await login(env, 'openid-wang')
    const bind = await wang.inject({ method: 'POST', url: '/api/v1/me/phone', payload: { code: await phoneCode(env, rosterPhone) } })
    expect(bind.statusCode).toBe(200)
    expect(bind.json().phoneMasked).toBe('139****0004')
    const res = await wang.inject({ method: 'POST', url: '/api/v1/memberships', payload: { unitId: uid, relation: 'owner' } })
    expect(res.json()).toMatchObject({ state: 'verified', method: 'roster_phone' })

    // phone bound after applying: the pending application is verified by the binding
    const zhou = await login(env, 'openid-zhou')
    const uid2 = await unitId(env, world.a.id, '2栋', '102')
    const pending = await zhou.inject({ method: 'POST', url: '/api/v1/memberships', payload: { unitId: uid2, relation: 'co_owner' } })
    expect(pending.json().state).toBe('pending')
    const after = await zhou.inject({ method: 'POST', url: '/api/v1/me/phone', payload: { code: await phoneCode(env, '13910000005') } })
    expect(after.json().households[0]).toMatchObject({ state: 'verified', method: 'roster_phone' })
  })

  it('never auto-verifies family or tenants, nor an owner whose phone is not listed for that unit', async () => {
    const p = await login(env, 'openid-tenant')
    await p.inject({ method: 'POST', url: '/api/v1/me/phone', payload: { code: await phoneCode(env, '13910000006') } }) // listed for 2栋-201
    const asTenant = await p.inject({ method: 'POST', url: '/api/v1/memberships', payload: { unitId: await unitId(env, world.a.id, '2栋', '201'), relation: 'tenant' } })
    expect(asTenant.json().state).toBe('pending')
    const otherUnit = await p.inject({ method: 'POST', url: '/api/v1/memberships', payload: { unitId: await unitId(env, world.a.id, '2栋', '202'), relation: 'owner' } })
    expect(otherUnit.json().state).toBe('pending')
  })

  it('rejects with a reason the applicant reads, and lets them apply again', async () => {
    const p = await login(env, 'openid-rejected')
    const uid = await unitId(env, world.a.id, '1栋', '202')
    const m = (await p.inject({ method: 'POST', url: '/api/v1/memberships', payload: { unitId: uid, relation: 'tenant' } })).json()
    const noReason = await world.people.workerA.inject({ method: 'POST', url: `/api/v1/communities/${world.a.id}/memberships/${m.id}/reject`, payload: {} })
    expect(noReason.statusCode).toBe(400)
    expect(noReason.json().error.message).toContain('reason')
    const rejected = await world.people.workerA.inject({ method: 'POST', url: `/api/v1/communities/${world.a.id}/memberships/${m.id}/reject`, payload: { reason: '请上传租赁合同后重新申请' } })
    expect(rejected.json()).toMatchObject({ state: 'rejected', rejectReason: '请上传租赁合同后重新申请' })
    const mine = (await p.inject({ method: 'GET', url: '/api/v1/memberships' })).json().items
    expect(mine[0]).toMatchObject({ state: 'rejected', rejectReason: '请上传租赁合同后重新申请' })

    const dup = await p.inject({ method: 'POST', url: '/api/v1/memberships', payload: { unitId: uid, relation: 'tenant' } })
    expect(dup.statusCode).toBe(201)
    expect(dup.json()).toMatchObject({ id: m.id, state: 'pending', rejectReason: null })
    const dupPending = await p.inject({ method: 'POST', url: '/api/v1/memberships', payload: { unitId: uid, relation: 'tenant' } })
    expect(dupPending.statusCode).toBe(409)
    expect(dupPending.json().error.code).toBe('MEMBERSHIP_EXISTS')
  })

  it('keeps one membership per person and unit under concurrent submissions', async () => {
    const p = await login(env, 'openid-double-tap')
    const uid = await unitId(env, world.a.id, '2栋', '202')
    const results = await Promise.all(Array.from({ length: 8 }, () => p.inject({ method: 'POST', url: '/api/v1/memberships', payload: { unitId: uid, relation: 'family' } })))
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1)
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(7)
    const rows = await env.db.select().from(memberships).where(and(eq(memberships.personId, p.personId), eq(memberships.unitId, uid)))
    expect(rows).toHaveLength(1)
  })

  it('does not let a reviewer decide their own application', async () => {
    const uid = await unitId(env, world.a.id, '2栋', '202')
    const own = (await world.people.committeeA.inject({ method: 'POST', url: '/api/v1/memberships', payload: { unitId: uid, relation: 'owner' } })).json()
    const res = await world.people.committeeA.inject({ method: 'POST', url: `/api/v1/communities/${world.a.id}/memberships/${own.id}/approve` })
    expect(res.statusCode).toBe(403)
    expect((await world.people.workerA.inject({ method: 'POST', url: `/api/v1/communities/${world.a.id}/memberships/${own.id}/approve` })).statusCode).toBe(200)
  })

  it('lets a person withdraw their own application and nobody else’s', async () => {
    const p = await login(env, 'openid-withdraw')
    const m = (await p.inject({ method: 'POST', url: '/api/v1/memberships', payload: { unitId: world.a.unitIds[0]!, relation: 'family' } })).json()
    expect((await world.people.residentA.inject({ method: 'DELETE', url: `/api/v1/memberships/${m.id}` })).statusCode).toBe(404)
    expect((await p.inject({ method: 'DELETE', url: `/api/v1/memberships/${m.id}` })).statusCode).toBe(204)
    expect((await p.inject({ method: 'GET', url: '/api/v1/memberships' })).json().items).toEqual([])
  })

  it('rejects unknown units and bad relations clearly, writing nothing', async () => {
    const p = await login(env, 'openid-bad-input')
    const unknown = await p.inject({ method: 'POST', url: '/api/v1/memberships', payload: { unitId: 999999, relation: 'owner' } })
    expect(unknown.statusCode).toBe(404)
    const bad = await p.inject({ method: 'POST', url: '/api/v1/memberships', payload: { unitId: world.a.unitIds[0], relation: 'landlord' } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('relation') })
    const extra = await p.inject({ method: 'POST', url: '/api/v1/memberships', payload: { unitId: world.a.unitIds[0], relation: 'owner', state: 'verified' } })
    expect(extra.statusCode).toBe(400)
    expect(extra.json().error.message).toContain('state')
    expect(await env.db.select().from(memberships).where(eq(memberships.personId, p.personId))).toEqual([])
  })

  it('records every decision in the community’s hash-chained audit log', async () => {
    const v = await verifyStream(env.db, `community:${world.a.id}`)
    expect(v.ok).toBe(true)
    expect(v.events).toBeGreaterThanOrEqual(8)
  })
})
