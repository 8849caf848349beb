import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { and, eq } from 'drizzle-orm'
import { auditEvents, memberships, photos, rosterOwners } from '@linli/bff/db/schema'
import { verifyStream } from '@linli/bff/modules/audit/service'
import { login, phoneCode, startTestEnv, type Session, type TestEnv } from '../helpers/app'
import { buildWorld, unitId, type World } from '../helpers/world'
import { png } from '../helpers/images'
import { multipart } from './service-requests-fixtures'

let env: TestEnv
let world: World
let uploadDir: string
beforeAll(async () => {
  uploadDir = await mkdtemp(join(tmpdir(), 'linli-households-test-'))
  // the scheduler is run by hand: a released photo's file is erased by its job
  env = await startTestEnv({ SCHEDULER_ENABLED: 'false', UPLOAD_DIR: uploadDir })
  world = await buildWorld(env)
})
afterAll(async () => {
  await env?.close()
  if (uploadDir) await rm(uploadDir, { recursive: true, force: true })
})

describe('binding a household', () => {
  it('lets a resident pick community → building → unit and apply; the committee approves; the profile shows it verified', async () => {
    const li = await login(env, 'openid-li')
    const communities = (await li.inject({ method: 'GET', url: '/api/v1/communities?q=测试小区A' })).json().items
    expect(communities).toEqual([{ id: world.a.id, name: '测试小区A', district: '甲区' }])
    const buildings = (await li.inject({ method: 'GET', url: `/api/v1/communities/${world.a.id}/buildings` })).json()
      .items
    expect(buildings.map((b: { name: string }) => b.name)).toEqual(['1栋', '2栋'])
    const units = (
      await li.inject({ method: 'GET', url: `/api/v1/communities/${world.a.id}/buildings/${buildings[0].id}/units` })
    ).json().items
    expect(units.map((u: { number: string }) => u.number)).toEqual(['101', '102', '201', '202'])
    // nothing about owners or area leaks to someone who merely browses
    expect(Object.keys(units[0]).sort()).toEqual(['id', 'kind', 'number'])

    const applied = await li.inject({
      method: 'POST',
      url: '/api/v1/memberships',
      payload: { unitId: units[2].id, relation: 'family' },
    })
    expect(applied.statusCode).toBe(201)
    const m = applied.json()
    expect(m).toMatchObject({
      relation: 'family',
      state: 'pending',
      method: null,
      unit: { number: '201', buildingName: '1栋', communityName: '测试小区A' },
    })

    const pending = (
      await world.people.committeeA.inject({
        method: 'GET',
        url: `/api/v1/communities/${world.a.id}/memberships?state=pending`,
      })
    ).json().items
    const item = pending.find((p: { id: number }) => p.id === m.id)
    expect(item.applicant.displayName).toMatch(/^邻居/)
    expect(item.rosterOwners).toHaveLength(1)
    expect(item.rosterOwners[0].nameMasked).toMatch(/^.\*+$/)
    expect(item.rosterOwners[0].phoneMasked).toMatch(/^1\d{2}\*{4}\d{4}$/)

    const approved = await world.people.committeeA.inject({
      method: 'POST',
      url: `/api/v1/communities/${world.a.id}/memberships/${m.id}/approve`,
    })
    expect(approved.statusCode).toBe(200)
    expect(approved.json().state).toBe('verified')

    const me = (await li.inject({ method: 'GET', url: '/api/v1/me' })).json()
    expect(me.households).toEqual([
      expect.objectContaining({
        id: m.id,
        state: 'verified',
        method: 'committee_review',
        reviewedAt: expect.any(String),
      }),
    ])

    // approving twice is an invalid transition, not a silent success
    const again = await world.people.committeeA.inject({
      method: 'POST',
      url: `/api/v1/communities/${world.a.id}/memberships/${m.id}/approve`,
    })
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
    const bind = await wang.inject({
      method: 'POST',
      url: '/api/v1/me/phone',
      payload: { code: await phoneCode(env, rosterPhone) },
    })
    expect(bind.statusCode).toBe(200)
    expect(bind.json().phoneMasked).toBe('139****0004')
    const res = await wang.inject({
      method: 'POST',
      url: '/api/v1/memberships',
      payload: { unitId: uid, relation: 'owner' },
    })
    expect(res.json()).toMatchObject({ state: 'verified', method: 'roster_phone' })

    // phone bound after applying: the pending application is verified by the binding
    const zhou = await login(env, 'openid-zhou')
    const uid2 = await unitId(env, world.a.id, '2栋', '102')
    const pending = await zhou.inject({
      method: 'POST',
      url: '/api/v1/memberships',
      payload: { unitId: uid2, relation: 'co_owner' },
    })
    expect(pending.json().state).toBe('pending')
    const after = await zhou.inject({
      method: 'POST',
      url: '/api/v1/me/phone',
      payload: { code: await phoneCode(env, '13910000005') },
    })
    expect(after.json().households[0]).toMatchObject({ state: 'verified', method: 'roster_phone' })
  })

  it('never auto-verifies family or tenants, nor an owner whose phone is not listed for that unit', async () => {
    const p = await login(env, 'openid-tenant')
    await p.inject({ method: 'POST', url: '/api/v1/me/phone', payload: { code: await phoneCode(env, '13910000006') } }) // listed for 2栋-201
    const asTenant = await p.inject({
      method: 'POST',
      url: '/api/v1/memberships',
      payload: { unitId: await unitId(env, world.a.id, '2栋', '201'), relation: 'tenant' },
    })
    expect(asTenant.json().state).toBe('pending')
    const otherUnit = await p.inject({
      method: 'POST',
      url: '/api/v1/memberships',
      payload: { unitId: await unitId(env, world.a.id, '2栋', '202'), relation: 'owner' },
    })
    expect(otherUnit.json().state).toBe('pending')
  })

  it('rejects with a reason the applicant reads, and lets them apply again', async () => {
    const p = await login(env, 'openid-rejected')
    const uid = await unitId(env, world.a.id, '1栋', '202')
    const m = (
      await p.inject({ method: 'POST', url: '/api/v1/memberships', payload: { unitId: uid, relation: 'tenant' } })
    ).json()
    const noReason = await world.people.workerA.inject({
      method: 'POST',
      url: `/api/v1/communities/${world.a.id}/memberships/${m.id}/reject`,
      payload: {},
    })
    expect(noReason.statusCode).toBe(400)
    expect(noReason.json().error.message).toContain('reason')
    const rejected = await world.people.workerA.inject({
      method: 'POST',
      url: `/api/v1/communities/${world.a.id}/memberships/${m.id}/reject`,
      payload: { reason: '请上传租赁合同后重新申请' },
    })
    expect(rejected.json()).toMatchObject({ state: 'rejected', rejectReason: '请上传租赁合同后重新申请' })
    const mine = (await p.inject({ method: 'GET', url: '/api/v1/memberships' })).json().items
    expect(mine[0]).toMatchObject({ state: 'rejected', rejectReason: '请上传租赁合同后重新申请' })

    const dup = await p.inject({
      method: 'POST',
      url: '/api/v1/memberships',
      payload: { unitId: uid, relation: 'tenant' },
    })
    expect(dup.statusCode).toBe(201)
    expect(dup.json()).toMatchObject({ id: m.id, state: 'pending', rejectReason: null })
    const dupPending = await p.inject({
      method: 'POST',
      url: '/api/v1/memberships',
      payload: { unitId: uid, relation: 'tenant' },
    })
    expect(dupPending.statusCode).toBe(409)
    expect(dupPending.json().error.code).toBe('MEMBERSHIP_EXISTS')
  })

  it('keeps one membership per person and unit under concurrent submissions', async () => {
    const p = await login(env, 'openid-double-tap')
    const uid = await unitId(env, world.a.id, '2栋', '202')
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        p.inject({ method: 'POST', url: '/api/v1/memberships', payload: { unitId: uid, relation: 'family' } }),
      ),
    )
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1)
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(7)
    const rows = await env.db
      .select()
      .from(memberships)
      .where(and(eq(memberships.personId, p.personId), eq(memberships.unitId, uid)))
    expect(rows).toHaveLength(1)
  })

  it('does not let a reviewer decide their own application', async () => {
    const uid = await unitId(env, world.a.id, '2栋', '202')
    const own = (
      await world.people.committeeA.inject({
        method: 'POST',
        url: '/api/v1/memberships',
        payload: { unitId: uid, relation: 'owner' },
      })
    ).json()
    const res = await world.people.committeeA.inject({
      method: 'POST',
      url: `/api/v1/communities/${world.a.id}/memberships/${own.id}/approve`,
    })
    expect(res.statusCode).toBe(403)
    expect(
      (
        await world.people.workerA.inject({
          method: 'POST',
          url: `/api/v1/communities/${world.a.id}/memberships/${own.id}/approve`,
        })
      ).statusCode,
    ).toBe(200)
  })

  it('lets a person withdraw their own application and nobody else’s', async () => {
    const p = await login(env, 'openid-withdraw')
    const m = (
      await p.inject({
        method: 'POST',
        url: '/api/v1/memberships',
        payload: { unitId: world.a.unitIds[0]!, relation: 'family' },
      })
    ).json()
    expect(
      (await world.people.residentA.inject({ method: 'DELETE', url: `/api/v1/memberships/${m.id}` })).statusCode,
    ).toBe(404)
    expect((await p.inject({ method: 'DELETE', url: `/api/v1/memberships/${m.id}` })).statusCode).toBe(204)
    expect((await p.inject({ method: 'GET', url: '/api/v1/memberships' })).json().items).toEqual([])
  })

  it('rejects unknown units and bad relations clearly, writing nothing', async () => {
    const p = await login(env, 'openid-bad-input')
    const unknown = await p.inject({
      method: 'POST',
      url: '/api/v1/memberships',
      payload: { unitId: 999999, relation: 'owner' },
    })
    expect(unknown.statusCode).toBe(404)
    const bad = await p.inject({
      method: 'POST',
      url: '/api/v1/memberships',
      payload: { unitId: world.a.unitIds[0], relation: 'landlord' },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('relation') })
    const extra = await p.inject({
      method: 'POST',
      url: '/api/v1/memberships',
      payload: { unitId: world.a.unitIds[0], relation: 'owner', state: 'verified' },
    })
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

/**
 * Applications the committee can judge: a stated name, photos of proof seen only by the community's reviewers,
 * competing claims on one unit side by side, and the proof deleted once decided (README "Household applications").
 * Played in community B (1栋 102–202 are free there): committee B reviews; resident B and committee A are outsiders.
 */
// the people below log in through a second BFF on the same database with its own Redis prefix, so its own login
// rate limit (20 a minute per address): the file logs in more people than one minute allows
let bff2: Awaited<ReturnType<TestEnv['newApp']>> | undefined
const signIn = async (openid: string) => {
  bff2 ??= await env.newApp({ REDIS_PREFIX: `${env.vars.REDIS_PREFIX}b2:` })
  return login(env, openid, bff2)
}

describe('applications with a name and proof', () => {
  const pending = (s: Session, cid = world.b.id) =>
    s.inject({ method: 'GET', url: `/api/v1/communities/${cid}/memberships?state=pending` })
  const uploadProof = async (s: Session, cid = world.b.id) => {
    const m = multipart(png(), 'proof.png', 'image/png')
    const res = await s.inject({
      method: 'POST',
      url: `/api/v1/communities/${cid}/photos?purpose=membership`,
      payload: m.payload,
      headers: m.headers,
    })
    expect(res.statusCode, res.body).toBe(201)
    return res.json() as { id: number; url: string }
  }
  const apply = (s: Session, payload: object) => s.inject({ method: 'POST', url: '/api/v1/memberships', payload })
  const rosterName = async (uid: number) =>
    (await env.db.select().from(rosterOwners).where(eq(rosterOwners.unitId, uid)))[0]!.name
  const storedFiles = async () =>
    existsSync(join(uploadDir, 'photos'))
      ? (await readdir(join(uploadDir, 'photos'), { recursive: true })).filter((f) => String(f).endsWith('.png'))
      : []

  let unit202: number
  let ownerClaim: { id: number; photo: { id: number; url: string }; person: Session }
  let tenantClaim: { id: number; photo: { id: number; url: string }; person: Session }
  let familyClaim: number

  it('lets anyone signed in upload proof for an application, but other photos stay for residents', async () => {
    const applicant = await signIn('openid-proof-owner')
    const m = multipart(png(), 'proof.png', 'image/png')
    const plain = await applicant.inject({
      method: 'POST',
      url: `/api/v1/communities/${world.b.id}/photos`,
      payload: m.payload,
      headers: m.headers,
    })
    expect(plain.statusCode).toBe(403)
    const unknown = await applicant.inject({
      method: 'POST',
      url: `/api/v1/communities/999999/photos?purpose=membership`,
      payload: m.payload,
      headers: m.headers,
    })
    expect(unknown.statusCode).toBe(404)
    const proof = await uploadProof(applicant)
    expect(proof.url).toMatch(/^\/api\/v1\/media\/photos\/\d+\?exp=\d+&sig=/)
  })

  it('files a claim with the stated name and proof; the applicant sees their own proof', async () => {
    unit202 = await unitId(env, world.b.id, '1栋', '202')
    const person = await signIn('openid-proof-owner')
    const photo = await uploadProof(person)
    const name = await rosterName(unit202)
    const res = await apply(person, {
      unitId: unit202,
      relation: 'owner',
      name: ` ${name} `,
      proof: { kind: 'property_certificate', photoIds: [photo.id] },
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({
      state: 'pending',
      statedName: name,
      proof: { kind: 'property_certificate', photos: [{ id: photo.id }] },
    })
    ownerClaim = { id: res.json().id, photo, person }
    const mine = (await person.inject({ method: 'GET', url: '/api/v1/memberships' })).json().items
    expect(mine[0].proof.photos[0].url).toMatch(/sig=/)
    // the log keeps the photo's fingerprint, never the name
    const events = await env.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectType, 'membership'), eq(auditEvents.subjectId, String(ownerClaim.id))))
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain(name)
    expect(JSON.stringify(events.map((e) => e.data))).toMatch(/"proofPhotoHashes":\["[0-9a-f]{64}"\]/)
  })

  it('shows competing claims on one unit together, with who is verified there, and the roster only masked', async () => {
    const tenant = await signIn('openid-proof-tenant')
    const lease = await uploadProof(tenant)
    const wrongKind = await apply(tenant, {
      unitId: unit202,
      relation: 'tenant',
      name: '孙丽',
      proof: { kind: 'property_certificate', photoIds: [lease.id] },
    })
    expect(wrongKind.statusCode).toBe(400)
    expect(wrongKind.json().error.details[0]).toMatchObject({ field: 'body.proof.kind', reason: 'proof_mismatch' })
    const t = await apply(tenant, {
      unitId: unit202,
      relation: 'tenant',
      name: '孙丽',
      proof: { kind: 'lease_contract', photoIds: [lease.id] },
    })
    expect(t.statusCode, t.body).toBe(201)
    tenantClaim = { id: t.json().id, photo: lease, person: tenant }
    const family = await signIn('openid-proof-family')
    const f = await apply(family, { unitId: unit202, relation: 'family', name: '钱多多' })
    expect(f.json()).toMatchObject({ state: 'pending', proof: null })
    familyClaim = f.json().id

    const res = await pending(world.people.committeeB)
    expect(res.statusCode).toBe(200)
    const items = res.json().items as {
      id: number
      applicant: { statedName: string }
      nameCheck: string
      proof: { photos: { url: string }[] } | null
      unitMembers: { membershipId: number; state: string }[]
    }[]
    const byId = new Map(items.map((i) => [i.id, i]))
    expect(byId.get(ownerClaim.id)).toMatchObject({
      nameCheck: 'match',
      relation: 'owner',
      proof: { kind: 'property_certificate' },
    })
    expect(byId.get(tenantClaim.id)).toMatchObject({
      nameCheck: 'mismatch',
      applicant: { statedName: '孙丽' },
      proof: { kind: 'lease_contract' },
    })
    expect(byId.get(familyClaim)).toMatchObject({ nameCheck: 'mismatch', proof: null })
    expect(
      byId
        .get(ownerClaim.id)!
        .unitMembers.map((u) => [u.membershipId, u.state])
        .sort(),
    ).toEqual(
      [
        [tenantClaim.id, 'pending'],
        [familyClaim, 'pending'],
      ].sort(),
    )
    // the roster owner's name reaches the reviewer only masked (what the owner claimant stated is theirs to show)
    const owner = await rosterName(unit202)
    const masked = items.flatMap((i) =>
      (i as unknown as { rosterOwners: { nameMasked: string }[] }).rosterOwners.map((o) => o.nameMasked),
    )
    expect(masked.length).toBeGreaterThanOrEqual(3)
    for (const m of masked) expect(m).toMatch(/^.\*+$/)
    expect(masked).toContain(`${Array.from(owner)[0]}*`)

    // the reviewer's signed link serves the proof
    const link = byId.get(tenantClaim.id)!.proof!.photos[0]!.url
    const served = await env.app.inject({ method: 'GET', url: link })
    expect(served.statusCode).toBe(200)
    expect(served.headers['content-type']).toBe('image/png')
  })

  it('gives nothing to a resident of the same community or a committee member of another', async () => {
    expect((await pending(world.people.residentB)).statusCode).toBe(403)
    expect((await pending(world.people.committeeA)).statusCode).toBe(403)
    expect(
      (await world.people.residentB.inject({ method: 'GET', url: `/api/v1/communities/${world.b.id}/memberships` }))
        .statusCode,
    ).toBe(403)
    // in their own community the committee of A sees none of B's claims nor their links
    const own = await pending(world.people.committeeA, world.a.id)
    expect(own.statusCode).toBe(200)
    expect(own.body).not.toContain(`/photos/${ownerClaim.photo.id}?`)
    expect(own.body).not.toContain('孙丽')
    // and a photo of proof cannot be attached by someone else or in another community
    const other = await signIn('openid-proof-thief')
    const stolen = await apply(other, {
      unitId: await unitId(env, world.b.id, '1栋', '201'),
      relation: 'owner',
      name: '李四',
      proof: { kind: 'property_certificate', photoIds: [ownerClaim.photo.id] },
    })
    expect(stolen.statusCode).toBe(400)
    const elsewhere = await uploadProof(other, world.a.id)
    const crossed = await apply(other, {
      unitId: await unitId(env, world.b.id, '1栋', '201'),
      relation: 'owner',
      name: '李四',
      proof: { kind: 'property_certificate', photoIds: [elsewhere.id] },
    })
    expect(crossed.statusCode).toBe(400)
    expect(crossed.json().error.details[0].field).toBe('body.proof.photoIds')
    expect(await env.db.select().from(memberships).where(eq(memberships.personId, other.personId))).toEqual([])
  })

  it('deletes the proof once approved: rows, links and files; the others now see a verified owner there', async () => {
    const before = await storedFiles()
    const approved = await world.people.committeeB.inject({
      method: 'POST',
      url: `/api/v1/communities/${world.b.id}/memberships/${ownerClaim.id}/approve`,
    })
    expect(approved.statusCode).toBe(200)
    expect(approved.json()).toMatchObject({
      state: 'verified',
      proof: null,
      applicant: { statedName: await rosterName(unit202) },
    })
    expect(await env.db.select().from(photos).where(eq(photos.membershipId, ownerClaim.id))).toEqual([])
    expect((await env.app.inject({ method: 'GET', url: ownerClaim.photo.url })).statusCode).toBe(404)
    await env.app.scheduler.runDue()
    expect((await storedFiles()).length).toBe(before.length - 1)

    const items = (await pending(world.people.committeeB)).json().items as {
      id: number
      unitMembers: { membershipId: number; state: string; relation: string }[]
    }[]
    const tenant = items.find((i) => i.id === tenantClaim.id)!
    expect(tenant.unitMembers).toContainEqual(
      expect.objectContaining({ membershipId: ownerClaim.id, state: 'verified', relation: 'owner' }),
    )
  })

  it('deletes the proof once rejected; the applicant reads the reason, and the stated name goes too', async () => {
    const noReason = await world.people.committeeB.inject({
      method: 'POST',
      url: `/api/v1/communities/${world.b.id}/memberships/${tenantClaim.id}/reject`,
      payload: { reason: ' ' },
    })
    expect(noReason.statusCode).toBe(400)
    expect(await env.db.select().from(photos).where(eq(photos.membershipId, tenantClaim.id))).toHaveLength(1)
    const rejected = await world.people.committeeB.inject({
      method: 'POST',
      url: `/api/v1/communities/${world.b.id}/memberships/${tenantClaim.id}/reject`,
      payload: { reason: '租赁合同上的房号与申请不符' },
    })
    expect(rejected.statusCode, rejected.body).toBe(200)
    expect(rejected.json()).toMatchObject({ state: 'rejected', proof: null, applicant: { statedName: null } })
    expect(await env.db.select().from(photos).where(eq(photos.membershipId, tenantClaim.id))).toEqual([])
    expect((await env.app.inject({ method: 'GET', url: tenantClaim.photo.url })).statusCode).toBe(404)
    await env.app.scheduler.runDue()
    const [row] = await env.db.select().from(photos).where(eq(photos.id, tenantClaim.photo.id))
    expect(row).toBeUndefined()
    const mine = (await tenantClaim.person.inject({ method: 'GET', url: '/api/v1/memberships' })).json().items
    expect(mine[0]).toMatchObject({
      state: 'rejected',
      rejectReason: '租赁合同上的房号与申请不符',
      statedName: null,
      proof: null,
    })
  })

  it('deletes the proof when an application is withdrawn, and when a roster phone verifies it at once', async () => {
    const p = await signIn('openid-proof-withdraw')
    const photo = await uploadProof(p)
    const m = (
      await apply(p, {
        unitId: await unitId(env, world.b.id, '1栋', '102'),
        relation: 'family',
        name: '周一',
        proof: { kind: 'purchase_contract', photoIds: [photo.id] },
      })
    ).json()
    expect(m.proof.photos).toHaveLength(1)
    expect((await p.inject({ method: 'DELETE', url: `/api/v1/memberships/${m.id}` })).statusCode).toBe(204)
    expect(await env.db.select().from(photos).where(eq(photos.id, photo.id))).toEqual([])

    // an owner whose bound phone is on the roster is verified without review; the proof given anyway is deleted
    const owner = await signIn('openid-proof-roster')
    const uid = await unitId(env, world.b.id, '1栋', '201')
    const [listed] = await env.db.select().from(rosterOwners).where(eq(rosterOwners.unitId, uid))
    await owner.inject({
      method: 'POST',
      url: '/api/v1/me/phone',
      payload: { code: await phoneCode(env, env.protector.decrypt(listed!.phoneEnc!)) },
    })
    const proof = await uploadProof(owner)
    const res = await apply(owner, {
      unitId: uid,
      relation: 'owner',
      name: listed!.name,
      proof: { kind: 'property_certificate', photoIds: [proof.id] },
    })
    expect(res.json()).toMatchObject({ state: 'verified', method: 'roster_phone', proof: null })
    expect(await env.db.select().from(photos).where(eq(photos.id, proof.id))).toEqual([])
  })

  it('checks the stated name: blank, too long or with a lone surrogate is a 400 naming the field', async () => {
    const p = await signIn('openid-proof-names')
    const uid = await unitId(env, world.b.id, '1栋', '102')
    for (const [name, reason] of [
      ['   ', 'blank'],
      ['欧'.repeat(21), 'too_long'],
      ['张\ud800三', 'invalid_chars'],
      ['张\u200b三', 'invalid_chars'],
    ] as const) {
      const res = await apply(p, { unitId: uid, relation: 'family', name })
      expect(res.statusCode, name).toBe(400)
      expect(res.json().error.details[0]).toMatchObject({ field: 'body.name', reason })
    }
    expect(await env.db.select().from(memberships).where(eq(memberships.personId, p.personId))).toEqual([])
    // 20 characters, some outside the BMP, are fine
    const ok = await apply(p, { unitId: uid, relation: 'family', name: '𠮷'.repeat(20) })
    expect(ok.statusCode, ok.body).toBe(201)
  })
})

describe('display name', () => {
  it('is set by the person, trimmed, and checked: blank, too long, lone surrogate or invisible characters are a 400', async () => {
    const p = await signIn('openid-rename')
    const rename = (displayName: string) => p.inject({ method: 'PATCH', url: '/api/v1/me', payload: { displayName } })
    for (const [name, reason] of [
      ['', 'blank'],
      ['  ', 'blank'],
      ['很'.repeat(21), 'too_long'],
      ['李\udc00明', 'invalid_chars'],
      ['李\u202e明', 'invalid_chars'],
    ] as const) {
      const res = await rename(name)
      expect(res.statusCode, JSON.stringify(name)).toBe(400)
      expect(res.json().error).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ field: 'body.displayName', reason }],
      })
    }
    expect((await rename('x'.repeat(65))).statusCode).toBe(400)
    // 20 emoji families look like 20 characters but are 100 in the column: refused, never a 500
    const families = await rename('👨‍👩‍👧'.repeat(10))
    expect(families.statusCode).toBe(400)
    expect(families.json().error.details[0].reason).toBe('too_long')
    const ok = await rename('  李  明 ')
    expect(ok.statusCode).toBe(200)
    expect(ok.json().displayName).toBe('李 明')
    expect((await rename('👍'.repeat(20))).json().displayName).toBe('👍'.repeat(20))
    expect((await p.inject({ method: 'GET', url: '/api/v1/me' })).json().displayName).toBe('👍'.repeat(20))
  })
})

describe('phone numbers', () => {
  it('says why a number WeChat returned is not a mainland mobile number', async () => {
    const p = await signIn('openid-phone-reason')
    // (the stand-in, like WeChat, only hands out numbers starting with 1)
    const res = await p.inject({
      method: 'POST',
      url: '/api/v1/me/phone',
      payload: { code: await phoneCode(env, '12812341234') },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({
      code: 'WECHAT_PHONE_CODE_INVALID',
      details: [{ field: 'phone', reason: 'second_digit', zh: expect.stringContaining('第二位应为 3–9') }],
    })
    expect((await p.inject({ method: 'GET', url: '/api/v1/me' })).json().phoneMasked).toBeNull()
  })

  it('says why in the details of a schema’s phone field', async () => {
    const demo = await env.newApp({ DEMO_MODE: 'true' })
    for (const [phone, reason] of [
      ['21234567890', 'first_digit'],
      ['1381234123', 'too_short'],
      ['12812341234', 'second_digit'],
      ['138l2341234', 'not_digits'],
    ] as const) {
      const res = await demo.inject({ method: 'POST', url: '/api/v1/demo/phone-code', payload: { phone } })
      expect(res.statusCode).toBe(400)
      expect(res.json().error.details[0]).toMatchObject({ field: 'body.phone', reason })
    }
    const short = await demo.inject({
      method: 'POST',
      url: '/api/v1/demo/phone-code',
      payload: { phone: '1381234123' },
    })
    expect(short.json().error.details[0].zh).toBe('手机号应为 11 位数字，您填了 10 位')
  })
})
