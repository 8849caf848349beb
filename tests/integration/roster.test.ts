import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { and, asc, count, eq, sql } from 'drizzle-orm'
import {
  auditEvents,
  buildings,
  communities,
  communityRoles,
  memberships,
  rosterOwners,
  units,
} from '@linli/bff/db/schema'
import { communityStream, verifyStream } from '@linli/bff/modules/audit/service'
import { login, phoneCode, startTestEnv, type Session, type TestEnv } from '../helpers/app'
import { unitId } from '../helpers/world'

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const FIXTURE = fileURLToPath(new URL('../fixtures/roster-sample.csv', import.meta.url))

const HEADER = 'building,unit,kind,area,area_source,owner_names,owner_phones'
const csv = (...lines: string[]) => [HEADER, ...lines].join('\n')

let env: TestEnv
let worker: Session
let tmp: string
let seq = 0

beforeAll(async () => {
  env = await startTestEnv()
  worker = await login(env, 'openid-roster-worker')
  tmp = await mkdtemp(join(tmpdir(), 'linli-roster-'))
})
afterAll(async () => {
  await env?.close()
  if (tmp) await rm(tmp, { recursive: true, force: true })
})

/** A fresh community (each test its own, so no order dependence) where `worker` is the community worker. */
async function newCommunity(): Promise<number> {
  const [c] = await env.db
    .insert(communities)
    .values({ name: `名册测试小区${++seq}`, district: '测试区' })
    .$returningId()
  await env.db.insert(communityRoles).values({ communityId: c!.id, personId: worker.personId, role: 'worker' })
  return c!.id
}

const upload = (s: Session, communityId: number, body: string, contentType = 'text/csv') =>
  s.inject({
    method: 'POST',
    url: `/api/v1/communities/${communityId}/roster`,
    payload: body,
    headers: { 'content-type': contentType },
  })

async function importOk(communityId: number, body: string) {
  const res = await upload(worker, communityId, body)
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as {
    created: number
    updated: number
    unchanged: number
    rejected: { line: number; reason: string }[]
    verifiedMemberships: number
  }
}

async function auditCount(communityId: number): Promise<number> {
  const [row] = await env.db
    .select({ n: count() })
    .from(auditEvents)
    .where(eq(auditEvents.stream, communityStream(communityId)))
  return Number(row!.n)
}

async function unitRow(communityId: number, building: string, number: string) {
  const [row] = await env.db
    .select({ id: units.id, kind: units.kind, areaCenti: units.areaCenti, areaSource: units.areaSource })
    .from(units)
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(and(eq(units.communityId, communityId), eq(buildings.name, building), eq(units.number, number)))
  return row
}

async function ownersOf(unit: number) {
  return env.db.select().from(rosterOwners).where(eq(rosterOwners.unitId, unit)).orderBy(asc(rosterOwners.position))
}

const ROSTER = [
  '1栋,101,residence,89.45,register,王秀英,13800000001',
  '1栋,102,residence,120.00,survey,张三;李四,13800000002;13800000003',
  '1栋,201,residence,95.5,contract,欧阳娜娜,',
  '2栋,101,residence,1.13,register,赵六、钱七,13800000006、13800000007',
  '地下车库,P-001,parking,12.5,contract,王秀英,13800000001',
]

describe('POST /communities/:id/roster', () => {
  it('creates every unit, is idempotent, and reports exactly what an edit changed', async () => {
    const c = await newCommunity()
    const first = await importOk(c, csv(...ROSTER))
    expect(first).toEqual({ created: 5, updated: 0, unchanged: 0, rejected: [], verifiedMemberships: 0 })
    const [{ n: unitCount }] = (await env.db.select({ n: count() }).from(units).where(eq(units.communityId, c))) as [
      { n: number },
    ]
    expect(Number(unitCount)).toBe(5)
    const [{ n: buildingCount }] = (await env.db
      .select({ n: count() })
      .from(buildings)
      .where(eq(buildings.communityId, c))) as [{ n: number }]
    expect(Number(buildingCount)).toBe(3)
    const auditAfterFirst = await auditCount(c)
    expect(auditAfterFirst).toBe(1)

    // the same file again: nothing changes and no audit event is written
    const again = await importOk(c, csv(...ROSTER))
    expect(again).toEqual({ created: 0, updated: 0, unchanged: 5, rejected: [], verifiedMemberships: 0 })
    expect(await auditCount(c)).toBe(auditAfterFirst)
    // same content in Chinese with another line order and a BOM is still the same roster
    const zh = `\uFEFF楼栋,房号,类型,面积,面积来源,业主姓名,业主电话\n${[...ROSTER]
      .reverse()
      .map((l) => l.replace('residence', '住宅').replace('parking', '车位'))
      .join('\n')}`
    expect(await importOk(c, zh)).toMatchObject({ created: 0, updated: 0, unchanged: 5 })
    expect(await auditCount(c)).toBe(auditAfterFirst)

    // one area changed on one unit, one owner phone changed on another: exactly those two are updated
    const edited = [...ROSTER]
    edited[0] = '1栋,101,residence,89.46,register,王秀英,13800000001'
    edited[1] = '1栋,102,residence,120.00,survey,张三;李四,13800000002;13900000003'
    expect(await importOk(c, csv(...edited))).toEqual({
      created: 0,
      updated: 2,
      unchanged: 3,
      rejected: [],
      verifiedMemberships: 0,
    })
    expect((await unitRow(c, '1栋', '101'))!.areaCenti).toBe(8946)
    const owners102 = await ownersOf((await unitRow(c, '1栋', '102'))!.id)
    expect(owners102.map((o) => o.name)).toEqual(['张三', '李四'])
    expect(owners102.map((o) => env.protector.decrypt(o.phoneEnc!))).toEqual(['13800000002', '13900000003'])
    expect(await auditCount(c)).toBe(auditAfterFirst + 1)

    // area and phone changed on the same unit: one update
    edited[2] = '1栋,201,residence,95.55,contract,欧阳娜娜,13800000005'
    expect(await importOk(c, csv(...edited))).toEqual({
      created: 0,
      updated: 1,
      unchanged: 4,
      rejected: [],
      verifiedMemberships: 0,
    })

    // a unit missing from a later file is left alone (the roster is updated, not replaced)
    expect(await importOk(c, csv(edited[0]!))).toEqual({
      created: 0,
      updated: 0,
      unchanged: 1,
      rejected: [],
      verifiedMemberships: 0,
    })
    expect(await unitRow(c, '地下车库', 'P-001')).toBeDefined()
  })

  it('stores areas as exact integers of 0.01 m² and owner phones only encrypted', async () => {
    const c = await newCommunity()
    await importOk(c, csv(...ROSTER))
    expect(await unitRow(c, '1栋', '101')).toMatchObject({ areaCenti: 8945, kind: 'residence', areaSource: 'register' })
    expect(await unitRow(c, '2栋', '101')).toMatchObject({ areaCenti: 113 })
    expect(await unitRow(c, '地下车库', 'P-001')).toMatchObject({
      areaCenti: 1250,
      kind: 'parking',
      areaSource: 'contract',
    })
    // the column holds the integer itself (no float, no decimal)
    const [raw] = (await env.db.execute(
      sql`SELECT CAST(area_centi AS CHAR) AS a FROM units WHERE community_id = ${c} AND number = '101' ORDER BY id LIMIT 1`,
    )) as unknown as [{ a: string }[]]
    expect(raw[0]!.a).toBe('8945')

    const owners = await env.db.select().from(rosterOwners).where(eq(rosterOwners.communityId, c))
    const withPhone = owners.filter((o) => o.phoneEnc !== null)
    expect(withPhone.length).toBe(6)
    for (const o of withPhone) {
      const phone = env.protector.decrypt(o.phoneEnc!)
      expect(phone).toMatch(/^1\d{10}$/)
      expect(o.phoneEnc).not.toContain(phone)
      expect(o.phoneEnc).not.toContain(phone.slice(3))
      expect(o.phoneHash).toBe(env.protector.blindIndex(phone))
    }
    // the same phone on two units is encrypted differently but matches by its blind index
    const wang = owners.filter((o) => o.name === '王秀英')
    expect(wang).toHaveLength(2)
    expect(wang[0]!.phoneEnc).not.toBe(wang[1]!.phoneEnc)
    expect(wang[0]!.phoneHash).toBe(wang[1]!.phoneHash)
    const ouyang = owners.find((o) => o.name === '欧阳娜娜')!
    expect(ouyang.phoneEnc).toBeNull()
    expect(ouyang.phoneHash).toBeNull()
  })

  it('GET /roster shows areas and sources with names and phones masked', async () => {
    const c = await newCommunity()
    await importOk(c, csv(...ROSTER))
    const res = await worker.inject({ method: 'GET', url: `/api/v1/communities/${c}/roster` })
    expect(res.statusCode).toBe(200)
    const items = res.json().items as {
      buildingName: string
      number: string
      areaCenti: number
      areaSource: string
      owners: { nameMasked: string; phoneMasked: string | null }[]
      verifiedMembers: number
    }[]
    expect(items).toHaveLength(5)
    const find = (b: string, n: string) => items.find((i) => i.buildingName === b && i.number === n)!
    expect(find('1栋', '101')).toMatchObject({
      areaCenti: 8945,
      areaSource: 'register',
      owners: [{ nameMasked: '王**', phoneMasked: '138****0001' }],
      verifiedMembers: 0,
    })
    expect(find('1栋', '102').owners).toEqual([
      { nameMasked: '张*', phoneMasked: '138****0002' },
      { nameMasked: '李*', phoneMasked: '138****0003' },
    ])
    expect(find('1栋', '201').owners).toEqual([{ nameMasked: '欧***', phoneMasked: null }])
    for (const full of [
      '王秀英',
      '张三',
      '李四',
      '欧阳娜娜',
      '赵六',
      '钱七',
      '13800000001',
      '13800000002',
      '13800000006',
      '00000001',
    ])
      expect(res.body).not.toContain(full)
    expect(res.body).not.toMatch(/phone_?(enc|hash)/i)
  })

  it('rejects bad lines with their line numbers and writes nothing of theirs', async () => {
    const c = await newCommunity()
    const before = await auditCount(c)
    const body = [
      HEADER, //                                                            1
      '1栋,101,residence,89.45,register,王秀英,13800000001', //              2 ok
      '1栋,102,villa,80,register,甲,', //                                    3 bad kind
      '', //                                                                4 blank
      '3栋,301,residence,12.345,register,乙,', //                            5 bad area (and 3栋 exists only here)
      '1栋,103,residence,0,register,丙,', //                                 6 zero area
      '1栋,104,residence,80,register,丁,12345', //                           7 bad phone
      '1栋,105,residence,80,register,戊,13800000008;13800000009', //        8 more phones than names
      '1栋,106,residence,80,register,,', //                                  9 no owner
      '1栋,101,residence,50,survey,冒名,13900000000', //                     10 duplicate of line 2
      '1栋,107,residence,70.5,survey,己,', //                                11 ok
    ].join('\n')
    const report = await importOk(c, body)
    expect(report.created).toBe(2)
    expect(report.updated).toBe(0)
    expect(report.rejected.map((r) => r.line)).toEqual([3, 5, 6, 7, 8, 9, 10])
    expect(report.rejected.find((r) => r.line === 10)!.reason).toBe('duplicate of line 2 (1栋 101)')
    expect(report.rejected.find((r) => r.line === 5)!.reason).toContain('12.345')

    const numbers = (await env.db.select({ n: units.number }).from(units).where(eq(units.communityId, c)))
      .map((r) => r.n)
      .sort()
    expect(numbers).toEqual(['101', '107'])
    const buildingNames = (
      await env.db.select({ n: buildings.name }).from(buildings).where(eq(buildings.communityId, c))
    ).map((r) => r.n)
    expect(buildingNames).toEqual(['1栋'])
    // the duplicate did not overwrite the first line's values
    const u101 = (await unitRow(c, '1栋', '101'))!
    expect(u101).toMatchObject({ areaCenti: 8945, areaSource: 'register' })
    expect((await ownersOf(u101.id)).map((o) => o.name)).toEqual(['王秀英'])
    const names = (
      await env.db.select({ n: rosterOwners.name }).from(rosterOwners).where(eq(rosterOwners.communityId, c))
    )
      .map((r) => r.n)
      .sort()
    expect(names).toEqual(['己', '王秀英'].sort())
    // the import with rejections is on record, with the count
    expect(await auditCount(c)).toBe(before + 1)
    const [event] = await env.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.stream, communityStream(c)))
      .orderBy(asc(auditEvents.seq))
    const data = typeof event!.data === 'string' ? JSON.parse(event!.data) : event!.data
    expect(event!.action).toBe('roster.imported')
    expect(event!.actorPersonId).toBe(worker.personId)
    expect(data).toEqual({ source: 'upload', created: 2, updated: 0, unchanged: 0, rejected: 7 })

    // a file where every line is bad changes nothing at all
    const allBad = await importOk(c, csv('1栋,101,residence,-1,register,王秀英,', '1栋,108,residence,abc,register,庚,'))
    expect(allBad).toMatchObject({ created: 0, updated: 0, unchanged: 0, verifiedMemberships: 0 })
    expect(allBad.rejected.map((r) => r.line)).toEqual([2, 3])
    expect((await unitRow(c, '1栋', '101'))!.areaCenti).toBe(8945)
    expect(await unitRow(c, '1栋', '108')).toBeUndefined()
  })

  it('names that the database collation treats as equal (A栋 / a栋, B101 / b101) do not crash the import', async () => {
    // Buildings and units are unique under utf8mb4_unicode_ci (case-insensitive), while the importer matches names
    // exactly. Whatever the fix (reject as duplicate, or treat as the same unit), the answer must not be a 500 and
    // the file's other lines must be imported.
    const c = await newCommunity()
    const inOneFile = await upload(
      worker,
      c,
      csv(
        'A栋,101,residence,80,register,甲,',
        'a栋,101,residence,80,register,乙,',
        '1栋,B101,residence,80,register,丙,',
        '1栋,b101,residence,80,register,丁,',
        '1栋,102,residence,80,register,戊,',
      ),
    )
    expect(inOneFile.statusCode, inOneFile.body).toBe(200)
    const report = inOneFile.json()
    expect(report.created + report.updated + report.rejected.length).toBe(5)
    expect(await unitRow(c, '1栋', '102')).toBeDefined()

    const later = await upload(
      worker,
      c,
      csv('a栋,102,residence,80,register,己,', '1栋,b101,residence,90,register,丙,'),
    )
    expect(later.statusCode, later.body).toBe(200)
  })

  it('verifies a pending owner application once the roster lists the phone the applicant bound', async () => {
    const c = await newCommunity()
    await importOk(c, csv('5栋,501,residence,88,register,周九,', '5栋,502,residence,88,register,吴十,'))
    const u501 = await unitId(env, c, '5栋', '501')
    const X = '13712345678'

    const owner = await login(env, 'openid-roster-owner')
    const bind = await owner.inject({
      method: 'POST',
      url: '/api/v1/me/phone',
      payload: { code: await phoneCode(env, X) },
    })
    expect(bind.statusCode, bind.body).toBe(200)
    expect(bind.json().phoneMasked).toBe('137****5678')
    const applied = await owner.inject({
      method: 'POST',
      url: '/api/v1/memberships',
      payload: { unitId: u501, relation: 'owner' },
    })
    expect(applied.statusCode, applied.body).toBe(201)
    expect(applied.json()).toMatchObject({ state: 'pending', method: null })

    // someone else with the same phone applying as tenant is not an owner: the roster does not verify them
    const tenant = await login(env, 'openid-roster-tenant')
    expect(
      (await tenant.inject({ method: 'POST', url: '/api/v1/me/phone', payload: { code: await phoneCode(env, X) } }))
        .statusCode,
    ).toBe(200)
    expect(
      (
        await tenant.inject({
          method: 'POST',
          url: '/api/v1/memberships',
          payload: { unitId: u501, relation: 'tenant' },
        })
      ).statusCode,
    ).toBe(201)

    // an import that does not list X for 501 verifies nobody
    expect(
      await importOk(c, csv('5栋,501,residence,88,register,周九,13700000000', '5栋,502,residence,88,register,吴十,')),
    ).toMatchObject({ updated: 1, verifiedMemberships: 0 })
    // X on another unit does not verify an application for 501
    expect(await importOk(c, csv(`5栋,502,residence,88,register,吴十,${X}`))).toMatchObject({
      updated: 1,
      verifiedMemberships: 0,
    })
    expect((await owner.inject({ method: 'GET', url: '/api/v1/memberships' })).json().items[0].state).toBe('pending')

    const report = await importOk(c, csv('5栋,501,residence,88,register,周九;郑一,13700000000;+86 137 1234 5678'))
    expect(report).toEqual({ created: 0, updated: 1, unchanged: 0, rejected: [], verifiedMemberships: 1 })

    const mine = (await owner.inject({ method: 'GET', url: '/api/v1/memberships' })).json().items
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({ state: 'verified', method: 'roster_phone', unit: { id: u501 } })
    expect(mine[0].reviewedAt).not.toBeNull()
    const theirs = (await tenant.inject({ method: 'GET', url: '/api/v1/memberships' })).json().items
    expect(theirs[0]).toMatchObject({ state: 'pending', relation: 'tenant' })

    const events = await env.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.stream, communityStream(c)), eq(auditEvents.action, 'membership.verified')))
    expect(events).toHaveLength(1)
    expect(events[0]!.actorPersonId).toBeNull()

    // the verified owner now shows on the roster view, and re-importing verifies nothing twice
    const view = (await worker.inject({ method: 'GET', url: `/api/v1/communities/${c}/roster` })).json().items
    expect(view.find((u: { number: string }) => u.number === '501').verifiedMembers).toBe(1)
    expect(await importOk(c, csv('5栋,501,residence,88,register,周九;郑一,13700000000;13712345678'))).toEqual({
      created: 0,
      updated: 0,
      unchanged: 1,
      rejected: [],
      verifiedMemberships: 0,
    })
    expect((await verifyStream(env.db, communityStream(c))).ok).toBe(true)
  })

  describe('who may import', () => {
    let c: number
    let other: number
    let resident: Session
    let committee: Session
    let committeeElsewhere: Session
    let workerElsewhere: Session
    let outsider: Session

    beforeAll(async () => {
      c = await newCommunity()
      await importOk(c, csv('1栋,101,residence,80,register,甲,'))
      const [o] = await env.db.insert(communities).values({ name: '别的小区', district: '' }).$returningId()
      other = o!.id
      resident = await login(env, 'openid-roster-resident')
      committee = await login(env, 'openid-roster-committee')
      committeeElsewhere = await login(env, 'openid-roster-committee-b')
      workerElsewhere = await login(env, 'openid-roster-worker-b')
      outsider = await login(env, 'openid-roster-outsider')
      await env.db.insert(memberships).values({
        personId: resident.personId,
        unitId: await unitId(env, c, '1栋', '101'),
        communityId: c,
        relation: 'owner',
        state: 'verified',
        method: 'committee_review',
        reviewedAt: new Date(),
      })
      await env.db.insert(communityRoles).values([
        { communityId: c, personId: committee.personId, role: 'committee' },
        { communityId: other, personId: committeeElsewhere.personId, role: 'committee' },
        { communityId: other, personId: workerElsewhere.personId, role: 'worker' },
      ])
    })

    it.each([
      ['a verified resident of the community', () => resident],
      ['a committee member of another community', () => committeeElsewhere],
      ['a community worker of another community', () => workerElsewhere],
      ['a signed-in person with no role', () => outsider],
    ])('%s gets 403 and changes nothing', async (_who, who) => {
      const before = await auditCount(c)
      const res = await upload(
        who(),
        c,
        csv('1栋,101,residence,10,register,篡改,13900000000', '9栋,901,residence,80,register,乙,'),
      )
      expect(res.statusCode).toBe(403)
      expect(res.json().error.code).toBe('FORBIDDEN')
      expect((await unitRow(c, '1栋', '101'))!.areaCenti).toBe(8000)
      expect(await unitRow(c, '9栋', '901')).toBeUndefined()
      expect(await auditCount(c)).toBe(before)
      const read = await who().inject({ method: 'GET', url: `/api/v1/communities/${c}/roster` })
      expect(read.statusCode).toBe(403)
      expect(read.json().error.code).toBe('FORBIDDEN')
    })

    it('a committee member of the community may import', async () => {
      const res = await upload(committee, c, csv('1栋,102,residence,80,register,乙,'))
      expect(res.statusCode, res.body).toBe(200)
      expect(res.json().created).toBe(1)
    })

    it('no token gets 401', async () => {
      const res = await env.app.inject({
        method: 'POST',
        url: `/api/v1/communities/${c}/roster`,
        payload: csv('1栋,103,residence,80,register,丙,'),
        headers: { 'content-type': 'text/csv' },
      })
      expect(res.statusCode).toBe(401)
      expect(await unitRow(c, '1栋', '103')).toBeUndefined()
    })
  })

  describe('content type', () => {
    it.each([
      ['application/json', JSON.stringify(csv('1栋,101,residence,80,register,甲,'))],
      ['application/json', JSON.stringify({ csv: csv('1栋,101,residence,80,register,甲,') })],
      ['text/plain', csv('1栋,101,residence,80,register,甲,')],
      ['application/x-www-form-urlencoded', 'a=1'],
      ['application/octet-stream', csv('1栋,101,residence,80,register,甲,')],
      ['multipart/form-data; boundary=x', '--x--'],
    ])('%s (%s) gets 415 UNSUPPORTED_MEDIA_TYPE and imports nothing', async (type, body) => {
      const c = await newCommunity()
      const res = await upload(worker, c, body, type)
      expect(res.statusCode, res.body).toBe(415)
      expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
      expect(await unitRow(c, '1栋', '101')).toBeUndefined()
    })

    it('text/csv with a charset parameter is accepted', async () => {
      const c = await newCommunity()
      expect(
        (await upload(worker, c, csv('1栋,101,residence,80,register,甲,'), 'text/csv; charset=utf-8')).statusCode,
      ).toBe(200)
    })

    it('an empty CSV body is a 400, not a crash', async () => {
      const c = await newCommunity()
      const res = await upload(worker, c, '')
      expect(res.statusCode).toBe(400)
      expect(res.json().error.code).toMatch(/^(VALIDATION_FAILED|BAD_REQUEST)$/)
    })
  })

  it('keeps the community audit chain intact, and a tampered event breaks it at its seq', async () => {
    const c = await newCommunity()
    await importOk(c, csv(...ROSTER)) // seq 1
    await importOk(c, csv('1栋,101,residence,89.46,register,王秀英,13800000001')) // seq 2
    await importOk(c, csv('1栋,101,residence,0,register,王秀英,')) // seq 3 (rejections only)
    await importOk(c, csv('1栋,101,residence,89.46,register,王秀英,13800000001')) // unchanged: no event
    const ok = await verifyStream(env.db, communityStream(c))
    expect(ok).toMatchObject({ ok: true, events: 3 })
    expect(ok.brokenAt).toBeUndefined()

    await env.db.execute(
      sql`UPDATE audit_events SET data = JSON_SET(data, '$.created', 999) WHERE stream = ${communityStream(c)} AND seq = 2`,
    )
    const broken = await verifyStream(env.db, communityStream(c))
    expect(broken).toMatchObject({ ok: false, events: 3, brokenAt: 2 })

    // changing any other column is caught as well: restore seq 2 via the original value and break seq 3's action
    await env.db.execute(
      sql`UPDATE audit_events SET data = JSON_SET(data, '$.created', 0) WHERE stream = ${communityStream(c)} AND seq = 2`,
    )
    expect((await verifyStream(env.db, communityStream(c))).ok).toBe(true)
    await env.db.execute(
      sql`UPDATE audit_events SET actor_person_id = NULL WHERE stream = ${communityStream(c)} AND seq = 3`,
    )
    expect(await verifyStream(env.db, communityStream(c))).toMatchObject({ ok: false, brokenAt: 3 })
    // other communities' streams are unaffected
    const other = await newCommunity()
    await importOk(other, csv(...ROSTER))
    expect((await verifyStream(env.db, communityStream(other))).ok).toBe(true)
  })
})

describe('roster:import CLI', () => {
  /**
   * `pnpm --filter @linli/bff roster:import -- …` as the README documents it (via: 'filter'), or the same script
   * run without pnpm's recursive mode (via: 'dir'), which passes the script's own exit code through.
   */
  function runCli(
    args: string[],
    via: 'filter' | 'dir' = 'filter',
  ): Promise<{ code: number | null; out: string; stdout: string }> {
    const pnpmArgs =
      via === 'filter'
        ? ['--filter', '@linli/bff', 'roster:import', '--', ...args]
        : ['--dir', 'bff', 'run', 'roster:import', '--', ...args]
    return new Promise((resolve, reject) => {
      const child = spawn('pnpm', pnpmArgs, {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          NODE_ENV: 'development',
          DATABASE_URL: env.config.databaseUrl,
          DATA_KEY: env.config.dataKey.toString('base64'),
          WECHAT_APPID: env.config.wechat.appid,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stdout = ''
      let out = ''
      child.stdout.on('data', (d) => {
        stdout += d
        out += d
      })
      child.stderr.on('data', (d) => (out += d))
      child.on('error', reject)
      child.on('close', (code) => resolve({ code, out, stdout }))
    })
  }

  it('imports the sample file, exits 0, and a second run changes nothing', async () => {
    const c = await newCommunity()
    const first = await runCli(['--community', String(c), FIXTURE])
    expect(first.code, first.out).toBe(0)
    expect(first.stdout).toMatch(
      /roster of 名册测试小区\d+: 5 created, 0 updated, 0 unchanged, 0 rejected, 0 pending applications verified/,
    )
    expect(first.stdout).not.toMatch(/line \d+:/)

    // what the CLI wrote is readable by the BFF (same DATA_KEY), areas exact
    expect(await unitRow(c, '1栋', '101')).toMatchObject({ areaCenti: 8945, areaSource: 'register' })
    expect(await unitRow(c, '1栋', '201')).toMatchObject({ areaCenti: 1, areaSource: 'contract' })
    expect(await unitRow(c, '2栋', '101')).toMatchObject({ areaCenti: 150 })
    expect(await unitRow(c, '地下车库', 'P-001')).toMatchObject({ kind: 'parking', areaCenti: 1250 })
    const view = (await worker.inject({ method: 'GET', url: `/api/v1/communities/${c}/roster` })).json().items
    expect(
      view.find((u: { buildingName: string; number: string }) => u.buildingName === '2栋' && u.number === '101').owners,
    ).toEqual([
      { nameMasked: '赵*', phoneMasked: '138****0006' },
      { nameMasked: '钱*', phoneMasked: null },
    ])
    const [event] = await env.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.stream, communityStream(c)))
    expect(event!.actorPersonId).toBeNull()
    const data = typeof event!.data === 'string' ? JSON.parse(event!.data) : event!.data
    expect(data).toMatchObject({ source: `cli:${FIXTURE}`, created: 5 })

    // a path relative to where the command is typed (the repository root here), as in the README
    const second = await runCli(['--community', String(c), 'tests/fixtures/roster-sample.csv'])
    expect(second.code, second.out).toBe(0)
    expect(second.stdout).toMatch(/: 0 created, 0 updated, 5 unchanged, 0 rejected, 0 pending applications verified/)
    expect(await auditCount(c)).toBe(1)
  }, 60_000)

  it('exits 2 and lists the rejected lines when some are bad, still importing the good ones', async () => {
    const c = await newCommunity()
    const sample = await readFile(FIXTURE, 'utf8')
    const file = join(tmp, 'with-errors.csv')
    // the sample has 7 lines (line 5 blank); append two bad lines as 8 and 9
    await writeFile(file, `${sample.replace(/\n?$/, '\n')}3栋,301,别墅,80,登记,甲,\n3栋,302,住宅,12.345,登记,乙,\n`)

    const direct = await runCli(['--community', String(c), file], 'dir')
    expect(direct.code, direct.out).toBe(2)
    expect(direct.stdout).toMatch(/: 5 created, 0 updated, 0 unchanged, 2 rejected, 0 pending applications verified/)
    expect(direct.stdout).toMatch(/line 8: kind: "别墅"/)
    expect(direct.stdout).toMatch(/line 9: area: "12.345"/)
    expect(await unitRow(c, '3栋', '301')).toBeUndefined()
    expect(await unitRow(c, '3栋', '302')).toBeUndefined()
    expect(await unitRow(c, '1栋', '101')).toBeDefined()

    // through `pnpm --filter` the run fails too; pnpm's recursive mode exits 1 but reports the script's code 2
    const filtered = await runCli(['--community', String(c), file])
    expect(filtered.code).not.toBe(0)
    expect(filtered.out).toMatch(/exit code 2\b/)
    expect(filtered.stdout).toMatch(/: 0 created, 0 updated, 5 unchanged, 2 rejected/)
  }, 60_000)

  it('exits non-zero for an unknown community or a missing argument', async () => {
    const unknown = await runCli(['--community', '999999', FIXTURE], 'dir')
    expect(unknown.code).toBe(1)
    expect(unknown.out).toMatch(/roster import failed: community 999999 does not exist/)
    const usage = await runCli([FIXTURE], 'dir')
    expect(usage.code, usage.out).toBe(64)
    expect(usage.out).toMatch(/usage: roster:import/)
  }, 60_000)
})
