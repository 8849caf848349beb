import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { and, asc, eq, like, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import {
  communities,
  communityRoles,
  memberships,
  outbox,
  srFollowers,
  scheduledJobs,
  serviceRequests,
  srEvents,
  photos,
} from '@linli/bff/db/schema'
import { integrationService } from '@linli/bff/modules/webhooks/service'
import { sign } from '@linli/bff/modules/webhooks/signing'
import { importRoster } from '@linli/bff/modules/roster/service'
import { demoRoster } from '@linli/bff/db/seed-demo'
import { median } from '@linli/shared/service-requests/sla'
import { PHOTO_MAX_BYTES } from '@linli/shared/photos'
import { login, phoneCode, startTestEnv, type Session, type TestEnv } from '../helpers/app'
import { buildWorld, unitId, type World } from '../helpers/world'
import {
  GPS_RATIONALS,
  categoriesApi,
  contractCompany,
  jpegOrientation,
  jpegWithGps,
  multipart,
  photoApi,
  pngWithExif,
  srApi,
  webpWithExif,
} from './service-requests-fixtures'

/**
 * 报事报修 through the real BFF, MariaDB and Redis: categories, photos (real multipart, metadata really stripped),
 * filing with attribute checks, privacy towards other residents, similar + "me too", the whole lifecycle with
 * every step recorded, urges with a cooldown kept in MySQL, SLA escalation firing once with two instances, the
 * public figures against hand-computed numbers, and the property company's webhooks both ways.
 */
let env: TestEnv
let second: FastifyInstance
let w: World
let uploadDir: string
let companyA: number
let integration: { id: string; secret: string }
const cat: Record<string, number> = {}

// biome-ignore lint/suspicious/noExplicitAny: response bodies read field by field in assertions
type Json = Record<string, any>

async function upload(s: Session, cid: number, bytes: Buffer, filename = 'photo.jpg', type = 'image/jpeg') {
  const m = multipart(bytes, filename, type)
  return s.inject({ method: 'POST', url: photoApi(cid), payload: m.payload, headers: m.headers })
}

interface FileOpts {
  category?: string
  description?: string
  location?: Json
  answers?: Json
  photoIds?: number[]
  sharePhone?: boolean
  contactTime?: string
  headers?: Record<string, string>
}

const defaultAnswers: Record<string, Json> = {
  公共维修: { facility: 'lighting' },
  户内维修: { part: ['water'] },
  投诉: { about: 'property' },
  安全隐患: { people_at_risk: 'no' },
}

function fileBody(o: FileOpts) {
  const category = o.category ?? '公共维修'
  return {
    categoryId: cat[category]!,
    description: o.description ?? '楼道灯不亮了，晚上很黑',
    location: o.location ?? { kind: 'building', buildingId: w.a.buildingId, detail: '2单元3楼' },
    answers: o.answers ?? defaultAnswers[category] ?? {},
    photoIds: o.photoIds ?? [],
    sharePhone: o.sharePhone ?? false,
    ...(o.contactTime ? { contactTime: o.contactTime } : {}),
  }
}

async function fileReq(s: Session, o: FileOpts = {}): Promise<Json> {
  const res = await s.inject({ method: 'POST', url: srApi(w.a.id), payload: fileBody(o), headers: o.headers })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}

const act = (s: Session, id: number, action: string, extra: Json = {}, cid = w.a.id) =>
  s.inject({ method: 'POST', url: srApi(cid, `/${id}/transitions`), payload: { action, ...extra } })
const detail = (s: Session, id: number, cid = w.a.id) => s.inject({ method: 'GET', url: srApi(cid, `/${id}`) })

async function events(id: number) {
  return env.db.select().from(srEvents).where(eq(srEvents.requestId, id)).orderBy(asc(srEvents.seq))
}

/** Outbound webhook messages written to the outbox for a request, in sequence order. */
async function outbound(requestId: number) {
  const rows = await env.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.topic, 'webhook.delivery'), like(outbox.dedupeKey, `%msg_sr${requestId}\\_%`)))
  return rows
    .map(
      (r) =>
        (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as {
          type: string
          messageId: string
          data: Json
        },
    )
    .sort((a, b) => a.data.sequence - b.data.sequence)
}

/** Subscribe messages queued for a person (the one notification adapter), by template. */
async function notifications(personId: number, template: string, requestId: number) {
  const rows = await env.db
    .select()
    .from(outbox)
    .where(
      and(eq(outbox.topic, 'wechat.subscribe_message'), like(outbox.dedupeKey, `notify:sr:${requestId}:%:${personId}`)),
    )
  return rows
    .map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Json)
    .filter((p) => p.template === template)
}

beforeAll(async () => {
  uploadDir = await mkdtemp(join(tmpdir(), 'linli-sr-test-'))
  env = await startTestEnv({
    SCHEDULER_ENABLED: 'false',
    UPLOAD_DIR: uploadDir,
    PUBLIC_BASE_URL: 'https://bff.linli.test',
  })
  second = await env.newApp()
  w = await buildWorld(env)
  companyA = await contractCompany(env, w.a.id, '示例物业A')
  integration = await integrationService({
    db: env.db,
    protector: env.protector,
    config: { webhooks: { ...env.config.webhooks, allowPrivateUrls: true } },
  }).create({
    propertyCompanyId: companyA,
    communityIds: [w.a.id],
    url: 'http://127.0.0.1:9/hook',
    eventTypes: [
      'service_request.created',
      'service_request.updated',
      'service_request.urged',
      'service_request.rated',
      'service_request.escalated',
      'service_request.reopened',
    ],
  })
  const list = (await w.people.residentA.inject({ method: 'GET', url: categoriesApi(w.a.id) })).json().items as {
    id: number
    name: string
  }[]
  for (const c of list) cat[c.name] = c.id
  // residentA binds a phone, so the handler can call (with consent)
  const bound = await w.people.residentA.inject({
    method: 'POST',
    url: '/api/v1/me/phone',
    payload: { code: await phoneCode(env, '13612345678') },
  })
  expect(bound.statusCode, bound.body).toBe(200)
})
afterAll(async () => {
  await env?.close()
  if (uploadDir) await rm(uploadDir, { recursive: true, force: true })
})

describe('categories', () => {
  it('gives a community the six defaults on first use, with handler, urgency, SLA and questions', async () => {
    const items = (await w.people.neighbourA.inject({ method: 'GET', url: categoriesApi(w.a.id) })).json().items
    expect(items.map((c: Json) => [c.name, c.handler, c.urgency])).toEqual([
      ['公共维修', 'property', 'normal'],
      ['户内维修', 'property', 'normal'],
      ['环境卫生', 'property', 'normal'],
      ['安全隐患', 'property', 'urgent'],
      ['投诉', 'committee', 'normal'],
      ['建议', 'committee', 'low'],
    ])
    expect(items[0]).toMatchObject({ acceptMinutes: 30, resolveMinutes: 1440, active: true })
    expect(items[1].attributes[0]).toMatchObject({ code: 'part', type: 'multi_choice', required: true })
    // asking again adds nothing
    expect((await w.people.residentA.inject({ method: 'GET', url: categoriesApi(w.a.id) })).json().items).toHaveLength(
      6,
    )
  })

  it('lets the committee or worker add and edit categories; validates the questions; deactivated ones are hidden from residents', async () => {
    const body = {
      name: '电梯困人',
      handler: 'property',
      urgency: 'urgent',
      acceptMinutes: 5,
      resolveMinutes: 60,
      attributes: [
        { code: 'floor', label: '所在楼层', type: 'number', required: true, integer: true, min: -2, max: 40 },
        { code: 'people', label: '被困人数', type: 'number', required: false, integer: true, min: 1 },
      ],
    }
    const created = await w.people.workerA.inject({ method: 'POST', url: categoriesApi(w.a.id), payload: body })
    expect(created.statusCode, created.body).toBe(201)
    expect(created.json()).toMatchObject({ name: '电梯困人', acceptMinutes: 5, active: true, communityId: w.a.id })
    cat.电梯困人 = created.json().id
    expect(
      (await w.people.committeeA.inject({ method: 'POST', url: categoriesApi(w.a.id), payload: body })).statusCode,
    ).toBe(409)
    const bad = await w.people.committeeA.inject({
      method: 'POST',
      url: categoriesApi(w.a.id),
      payload: {
        ...body,
        name: '坏的',
        attributes: [
          { code: 'x', label: 'X', type: 'single_choice', required: true, options: [{ key: 'a', label: 'A' }] },
        ],
      },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toContain('attributes.0.options')
    expect(
      (
        await w.people.residentA.inject({
          method: 'POST',
          url: categoriesApi(w.a.id),
          payload: { ...body, name: '居民建的' },
        })
      ).statusCode,
    ).toBe(403)

    const off = await w.people.committeeA.inject({
      method: 'PUT',
      url: categoriesApi(w.a.id, `/${created.json().id}`),
      payload: { ...body, active: false },
    })
    expect(off.statusCode, off.body).toBe(200)
    expect(
      (await w.people.residentA.inject({ method: 'GET', url: categoriesApi(w.a.id) }))
        .json()
        .items.some((c: Json) => c.name === '电梯困人'),
    ).toBe(false)
    expect(
      (await w.people.committeeA.inject({ method: 'GET', url: categoriesApi(w.a.id, '?all=true') }))
        .json()
        .items.some((c: Json) => c.name === '电梯困人'),
    ).toBe(true)
    // filing in an inactive category is refused
    const filed = await w.people.residentA.inject({
      method: 'POST',
      url: srApi(w.a.id),
      payload: { ...fileBody({}), categoryId: cat.电梯困人, answers: { floor: 3 } },
    })
    expect(filed.statusCode).toBe(400)
    await w.people.committeeA.inject({
      method: 'PUT',
      url: categoriesApi(w.a.id, `/${created.json().id}`),
      payload: { ...body, active: true },
    })
    // another community's category cannot be edited through this one
    const bCats = (await w.people.residentB.inject({ method: 'GET', url: categoriesApi(w.b.id) })).json().items
    expect(
      (
        await w.people.committeeA.inject({
          method: 'PUT',
          url: categoriesApi(w.a.id, `/${bCats[0].id}`),
          payload: body,
        })
      ).statusCode,
    ).toBe(404)
  })
})

describe('photos', () => {
  it('takes a real JPEG by multipart, strips its EXIF GPS, XMP and comment but keeps the orientation, and serves it only by a signed link', async () => {
    const original = jpegWithGps()
    expect(original.includes(GPS_RATIONALS)).toBe(true)
    const res = await upload(w.people.residentA, w.a.id, original)
    expect(res.statusCode, res.body).toBe(201)
    const photo = res.json()
    expect(photo).toMatchObject({ contentType: 'image/jpeg' })
    expect(photo.url).toMatch(/^\/api\/v1\/media\/photos\/\d+\?exp=\d+&sig=[\w-]{43}$/)

    const [row] = await env.db.select().from(photos).where(eq(photos.id, photo.id))
    expect(row!.storageKey).toMatch(new RegExp(`^photos/${w.a.id}/\\d{6}/[0-9a-f]{32}\\.jpg$`))
    const stored = await readFile(join(uploadDir, row!.storageKey))
    expect(stored.includes(GPS_RATIONALS)).toBe(false)
    expect(stored.includes(Buffer.from('GPSLatitude'))).toBe(false)
    expect(stored.includes(Buffer.from('121.47E'))).toBe(false)
    expect(stored.indexOf(Buffer.from([0x88, 0x25]))).toBe(-1) // no GPSInfo tag
    expect(jpegOrientation(stored)).toBe(6)
    expect(stored.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]))
    expect(stored.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]))
    expect(stored.length).toBe(photo.bytes)

    // served back by its signed link, without a bearer token
    const served = await env.app.inject({ method: 'GET', url: photo.url })
    expect(served.statusCode).toBe(200)
    expect(served.headers['content-type']).toBe('image/jpeg')
    expect(served.headers['x-content-type-options']).toBe('nosniff')
    expect(served.rawPayload.equals(stored)).toBe(true)
    const tampered = photo.url.replace(/sig=.{4}/, 'sig=AAAA')
    expect((await env.app.inject({ method: 'GET', url: tampered })).statusCode).toBe(403)
    const otherPhoto = photo.url.replace(`/photos/${photo.id}?`, `/photos/${photo.id + 1}?`)
    expect((await env.app.inject({ method: 'GET', url: otherPhoto })).statusCode).toBe(403)
    const expired = photo.url.replace(/exp=\d+/, 'exp=1000')
    expect((await env.app.inject({ method: 'GET', url: expired })).statusCode).toBe(403)
  })

  it('strips eXIf and XMP text from a PNG', async () => {
    const res = await upload(w.people.residentA, w.a.id, pngWithExif(), 'photo.png', 'image/png')
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().contentType).toBe('image/png')
    const [row] = await env.db.select().from(photos).where(eq(photos.id, res.json().id))
    const stored = await readFile(join(uploadDir, row!.storageKey))
    expect(stored.includes(GPS_RATIONALS)).toBe(false)
    expect(stored.includes(Buffer.from('eXIf'))).toBe(false)
    expect(stored.includes(Buffer.from('GPSLatitude'))).toBe(false)
    expect(stored.includes(Buffer.from('IDAT'))).toBe(true)
  })

  it('strips EXIF and XMP chunks from a WebP and clears their flags', async () => {
    const original = webpWithExif()
    const res = await upload(w.people.residentA, w.a.id, original, 'photo.webp', 'image/webp')
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().contentType).toBe('image/webp')
    const [row] = await env.db.select().from(photos).where(eq(photos.id, res.json().id))
    const stored = await readFile(join(uploadDir, row!.storageKey))
    expect(stored.includes(GPS_RATIONALS)).toBe(false)
    expect(stored.includes(Buffer.from('EXIF'))).toBe(false)
    expect(stored.includes(Buffer.from('GPSLatitude'))).toBe(false)
    expect(stored.readUInt32LE(4)).toBe(stored.length - 8) // RIFF size recomputed
    expect(stored[20]! & 0x0c).toBe(0) // VP8X: no EXIF, no XMP
    expect(stored.includes(original.subarray(30, 30 + 21))).toBe(true) // the VP8L image data is untouched
  })

  it('refuses what is not an image whatever its name and declared type, broken images, other content types, oversize files and missing files', async () => {
    const fake = await upload(
      w.people.residentA,
      w.a.id,
      Buffer.from('#!/bin/sh\necho this is not a photo\n'),
      'photo.jpg',
      'image/jpeg',
    )
    expect(fake.statusCode).toBe(415)
    expect(fake.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
    const truncated = await upload(w.people.residentA, w.a.id, jpegWithGps().subarray(0, 40))
    expect(truncated.statusCode).toBe(415)
    const svg = await upload(
      w.people.residentA,
      w.a.id,
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      'x.png',
      'image/png',
    )
    expect(svg.statusCode).toBe(415)
    const json = await w.people.residentA.inject({ method: 'POST', url: photoApi(w.a.id), payload: { file: 'x' } })
    expect(json.statusCode).toBe(415)
    const empty = multipart(Buffer.alloc(0), 'x.txt', 'text/plain', 'note')
    const noFile = await w.people.residentA.inject({
      method: 'POST',
      url: photoApi(w.a.id),
      payload: Buffer.from(empty.payload.toString().replace(/; filename="x.txt"\r\nContent-Type: text\/plain/, '')),
      headers: empty.headers,
    })
    expect(noFile.statusCode).toBe(400)
  })

  it('takes a photo of exactly the shared limit and refuses one byte more with PAYLOAD_TOO_LARGE naming the limit', async () => {
    // a valid JPEG padded after its image data to the size wanted (the BFF copies the scan data as it is)
    const sized = (n: number) => Buffer.concat([jpegWithGps(), Buffer.alloc(n - jpegWithGps().length)])
    const atLimit = await upload(w.people.residentA, w.a.id, sized(PHOTO_MAX_BYTES))
    expect(atLimit.statusCode, atLimit.body).toBe(201)
    expect(atLimit.json().bytes).toBeLessThanOrEqual(PHOTO_MAX_BYTES)
    const over = await upload(w.people.residentA, w.a.id, sized(PHOTO_MAX_BYTES + 1))
    expect(over.statusCode).toBe(413)
    expect(over.json().error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'a photo may be at most 5 MB',
      details: { maxBytes: PHOTO_MAX_BYTES },
    })
    // nothing of the refused one was kept
    const [{ n }] = (await env.db
      .select({ n: sql<number>`COUNT(*)`.mapWith(Number) })
      .from(photos)
      .where(sql`${photos.bytes} > ${PHOTO_MAX_BYTES}`)) as [{ n: number }]
    expect(n).toBe(0)
  })

  it('refuses a file that is not a JPEG, PNG or WebP with UNSUPPORTED_MEDIA_TYPE, whatever it is called', async () => {
    const cases: [string, Buffer, string, string][] = [
      ['a text file', Buffer.from('报修说明：楼道灯坏了'), 'note.txt', 'text/plain'],
      ['a PDF named like a photo', Buffer.from('%PDF-1.7\n1 0 obj\n'), 'photo.jpg', 'image/jpeg'],
      ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 'a.gif', 'image/gif'],
      [
        'an iPhone HEIC',
        Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1')]),
        'IMG_0001.HEIC',
        'image/heic',
      ],
    ]
    for (const [what, bytes, name, type] of cases) {
      const res = await upload(w.people.residentA, w.a.id, bytes, name, type)
      expect(res.statusCode, what).toBe(415)
      expect(res.json().error.code, what).toBe('UNSUPPORTED_MEDIA_TYPE')
      expect(res.json().error.message, what).toMatch(/^photo: not a JPEG, PNG or WebP image$/)
    }
  })
})

describe('filing', () => {
  it('files an in-unit request with answers, photos, contact time and phone consent; the timeline starts; the property company hears of it', async () => {
    const photo = (await upload(w.people.residentA, w.a.id, jpegWithGps())).json()
    const unit = await unitId(env, w.a.id, '1栋', '101')
    const before = Date.now()
    const r = await fileReq(w.people.residentA, {
      category: '户内维修',
      description: '卫生间水管漏水，楼下已经渗水',
      location: { kind: 'unit', unitId: unit },
      answers: { part: ['wall', 'water'], home: 'yes' },
      photoIds: [photo.id],
      contactTime: '工作日18:00后',
      sharePhone: true,
    })
    expect(r).toMatchObject({
      status: 'submitted',
      handler: 'property',
      view: 'full',
      mine: true,
      category: { name: '户内维修' },
      location: { kind: 'unit', unitId: unit, unitNumber: '101', buildingName: '1栋' },
      contactTime: '工作日18:00后',
      sharePhone: true,
      reporter: { phone: '136****5678' },
      actions: ['cancel', 'urge'],
    })
    expect(r.answers).toEqual([
      { code: 'part', label: '维修部位', value: '水路、墙面/渗漏' },
      { code: 'home', label: '上门时家中是否有人', value: '有人' },
    ])
    expect(r.photos).toHaveLength(1)
    expect(r.photos[0].id).toBe(photo.id)
    // accept SLA of 户内维修: 60 minutes from filing
    expect(new Date(r.acceptDueAt).getTime() - new Date(r.createdAt).getTime()).toBe(60 * 60_000)
    expect(new Date(r.createdAt).getTime()).toBeGreaterThanOrEqual(before - 5)
    expect(r.timeline).toEqual([
      {
        seq: 1,
        action: 'file',
        fromStatus: null,
        toStatus: 'submitted',
        actorKind: 'resident',
        actorName: expect.any(String),
        note: null,
        at: r.createdAt,
      },
    ])
    const [job] = await env.db
      .select()
      .from(scheduledJobs)
      .where(eq(scheduledJobs.jobKey, `sr.accept_due:${r.id}`))
    expect(job!.runAt.toISOString()).toBe(r.acceptDueAt)

    // the handler's data: full phone (consented), photos as absolute signed URLs, the sequence number
    const [created] = await outbound(r.id)
    expect(created).toMatchObject({
      type: 'service_request.created',
      data: {
        requestId: r.id,
        sequence: 1,
        communityId: w.a.id,
        status: 'submitted',
        description: '卫生间水管漏水，楼下已经渗水',
        contactTime: '工作日18:00后',
      },
    })
    expect(created!.data.reporter).toEqual({ name: expect.any(String), phone: '13612345678', phoneShared: true })
    expect(created!.data.location).toEqual({ kind: 'unit', building: '1栋', unit: '101', detail: null })
    expect(created!.data.photos[0].url).toMatch(
      new RegExp(`^https://bff\\.linli\\.test/api/v1/media/photos/${photo.id}\\?exp=\\d+&sig=`),
    )
    expect(created!.data.answers).toHaveLength(2)

    // the photo is attached now: it cannot be attached again
    const again = await w.people.residentA.inject({
      method: 'POST',
      url: srApi(w.a.id),
      payload: fileBody({ photoIds: [photo.id] }),
    })
    expect(again.statusCode).toBe(400)
    expect(again.json().error.message).toContain('photoIds')
  })

  it('masks the phone for the handler without consent', async () => {
    const r = await fileReq(w.people.residentA, { sharePhone: false })
    const [created] = await outbound(r.id)
    expect(created!.data.reporter).toMatchObject({ phone: '136****5678', phoneShared: false })
    expect(JSON.stringify(created)).not.toContain('13612345678')
  })

  it('checks the location: only own verified units, buildings of this community, public areas with a place', async () => {
    const neighbours = await unitId(env, w.a.id, '1栋', '102')
    const bUnit = await unitId(env, w.b.id, '1栋', '101')
    const cases: [Json, string][] = [
      [{ kind: 'unit', unitId: neighbours }, 'body.location.unitId'],
      [{ kind: 'unit', unitId: bUnit }, 'body.location.unitId'],
      [{ kind: 'unit' }, 'body.location.unitId'],
      [{ kind: 'building', buildingId: w.b.buildingId }, 'body.location.buildingId'],
      [{ kind: 'building' }, 'body.location.buildingId'],
      [{ kind: 'public' }, 'body.location.detail'],
      [{ kind: 'public', buildingId: w.a.buildingId, detail: '北门' }, 'body.location'],
    ]
    for (const [location, field] of cases) {
      const res = await w.people.residentA.inject({
        method: 'POST',
        url: srApi(w.a.id),
        payload: fileBody({ location }),
      })
      expect(res.statusCode, JSON.stringify(location)).toBe(400)
      expect(res.json().error.details[0].field).toBe(field)
    }
  })

  it("validates the answers against the category's questions", async () => {
    const attempt = (category: string, answers: Json) =>
      w.people.residentA.inject({ method: 'POST', url: srApi(w.a.id), payload: fileBody({ category, answers }) })
    const missing = await attempt('户内维修', {})
    expect(missing.statusCode).toBe(400)
    expect(missing.json().error.details[0].field).toBe('body.answers.part')
    const wrongOption = await attempt('户内维修', { part: ['roof'] })
    expect(wrongOption.json().error.details[0].field).toBe('body.answers.part')
    const unknown = await attempt('公共维修', { facility: 'door', colour: 'red' })
    expect(unknown.json().error.details[0].field).toBe('body.answers.colour')
    const number = await attempt('电梯困人', { floor: 41 })
    expect(number.statusCode).toBe(400)
    expect(number.json().error.details[0].field).toBe('body.answers.floor')
    const ok = await attempt('电梯困人', { floor: '3', people: 2 })
    expect(ok.statusCode, ok.body).toBe(201)
    expect(ok.json().answers).toEqual([
      { code: 'floor', label: '所在楼层', value: '3' },
      { code: 'people', label: '被困人数', value: '2' },
    ])
  })

  it('files once per Idempotency-Key; a different body with the same key is refused', async () => {
    const key = { 'idempotency-key': randomUUID() }
    const body = fileBody({
      description: '小区北门的道闸坏了，车辆出不去',
      location: { kind: 'public', detail: '北门道闸' },
    })
    const first = await w.people.residentA.inject({ method: 'POST', url: srApi(w.a.id), payload: body, headers: key })
    expect(first.statusCode).toBe(201)
    const retries = await Promise.all(
      [1, 2, 3].map(() =>
        w.people.residentA.inject({ method: 'POST', url: srApi(w.a.id), payload: body, headers: key }),
      ),
    )
    for (const r of retries) {
      expect(r.statusCode).toBe(200)
      expect(r.json().id).toBe(first.json().id)
    }
    const other = await w.people.residentA.inject({
      method: 'POST',
      url: srApi(w.a.id),
      payload: { ...body, description: '另一件事情需要处理' },
      headers: key,
    })
    expect(other.statusCode).toBe(422)
    const rows = await env.db
      .select()
      .from(serviceRequests)
      .where(eq(serviceRequests.idempotencyKey, key['idempotency-key']))
    expect(rows).toHaveLength(1)
  })

  it('sends property categories to the committee where the community has no property company', async () => {
    const bCats = (await w.people.residentB.inject({ method: 'GET', url: categoriesApi(w.b.id) })).json()
      .items as Json[]
    const pub = bCats.find((c) => c.name === '公共维修')!
    const res = await w.people.residentB.inject({
      method: 'POST',
      url: srApi(w.b.id),
      payload: {
        categoryId: pub.id,
        description: '单元门禁坏了打不开',
        location: { kind: 'building', buildingId: w.b.buildingId },
        answers: { facility: 'door' },
        photoIds: [],
        sharePhone: false,
      },
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().handler).toBe('committee')
    expect(await outbound(res.json().id)).toEqual([])
    // the committee of B hears of it (subscribe message queued)
    expect(await notifications(w.people.committeeB.personId, 'sr_todo', res.json().id)).toHaveLength(1)
  })

  it('takes a description with an emoji across the 20th character, and cuts the message field between characters', async () => {
    const bCats = (await w.people.residentB.inject({ method: 'GET', url: categoriesApi(w.b.id) })).json()
      .items as Json[]
    const pub = bCats.find((c) => c.name === '公共维修')!
    const description = `${'单元门禁坏了打不开进不去家门了'.padEnd(19, '啊')}😀后面还有说明`
    expect(description.slice(0, 20)).toMatch(/[\uD800-\uDBFF]$/) // a cut by UTF-16 units would split the emoji
    const res = await w.people.residentB.inject({
      method: 'POST',
      url: srApi(w.b.id),
      payload: {
        categoryId: pub.id,
        description,
        location: { kind: 'building', buildingId: w.b.buildingId },
        answers: { facility: 'door' },
        photoIds: [],
        sharePhone: false,
      },
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().description).toBe(description)
    const [queued] = await notifications(w.people.committeeB.personId, 'sr_todo', res.json().id)
    const thing4 = (queued!.data as Record<string, string>).thing4!
    expect(thing4).toBe(`${description.slice(0, 19)}…`)
    expect(Array.from(thing4)).toHaveLength(20)
  })
})

describe('what other residents see', () => {
  it('shows shared-area requests without the reporter, hides in-unit requests, and shows everything to the committee', async () => {
    const shared = await fileReq(w.people.residentA, { contactTime: '周末', sharePhone: true })
    const inUnit = await fileReq(w.people.residentA, {
      category: '户内维修',
      location: { kind: 'unit', unitId: await unitId(env, w.a.id, '1栋', '101') },
    })

    const seen = await detail(w.people.neighbourA, shared.id)
    expect(seen.statusCode).toBe(200)
    const pub = seen.json()
    expect(pub).toMatchObject({
      view: 'public',
      mine: false,
      reporter: null,
      answers: null,
      contactTime: null,
      sharePhone: null,
      assignee: null,
      actions: ['follow'],
    })
    expect(pub.timeline[0]).toMatchObject({ action: 'file', actorKind: 'resident', actorName: null })
    const me = (await w.people.residentA.inject({ method: 'GET', url: '/api/v1/me' })).json()
    expect(JSON.stringify(pub)).not.toContain(me.displayName)
    expect(JSON.stringify(pub)).not.toContain('5678')

    expect((await detail(w.people.neighbourA, inUnit.id)).statusCode).toBe(404)
    expect((await detail(w.people.residentB, shared.id)).statusCode).toBe(404)
    expect((await detail(w.people.residentB, shared.id, w.b.id)).statusCode).toBe(404)

    const committee = (await detail(w.people.committeeA, inUnit.id)).json()
    expect(committee).toMatchObject({ view: 'full', reporter: { displayName: me.displayName, phone: '136****5678' } })
    expect((await detail(w.people.committeeA, shared.id)).json().reporter.phone).toBe('13612345678')
    expect(committee.actions).toEqual(['accept', 'reject', 'duplicate'])
  })
})

describe('similar requests and "me too"', () => {
  it('suggests open ones of the same category and building; following is once per person and lets them urge', async () => {
    const r = await fileReq(w.people.residentA, {
      category: '环境卫生',
      description: '垃圾桶满了没人清理',
      location: { kind: 'building', buildingId: w.a.buildingId },
    })
    const similar = (
      await w.people.neighbourA.inject({
        method: 'GET',
        url: srApi(w.a.id, `/similar?categoryId=${cat.环境卫生}&buildingId=${w.a.buildingId}`),
      })
    ).json().items
    expect(similar.map((s: Json) => s.id)).toContain(r.id)
    expect(similar.every((s: Json) => s.category.name === '环境卫生' && s.location.buildingId === w.a.buildingId)).toBe(
      true,
    )
    expect(JSON.stringify(similar)).not.toContain('reporter')
    const otherBuilding = (
      await env.db
        .select({ id: sql<number>`id` })
        .from(sql`buildings`)
        .where(sql`community_id = ${w.a.id} AND id <> ${w.a.buildingId}`)
    )[0]!.id
    const none = (
      await w.people.neighbourA.inject({
        method: 'GET',
        url: srApi(w.a.id, `/similar?categoryId=${cat.环境卫生}&buildingId=${otherBuilding}`),
      })
    ).json().items
    expect(none.map((s: Json) => s.id)).not.toContain(r.id)

    const follow = () => w.people.neighbourA.inject({ method: 'POST', url: srApi(w.a.id, `/${r.id}/follow`) })
    expect((await follow()).json()).toEqual({ following: true, followerCount: 1 })
    expect((await follow()).json()).toEqual({ following: true, followerCount: 1 })
    expect(
      (await w.people.residentA.inject({ method: 'POST', url: srApi(w.a.id, `/${r.id}/follow`) })).statusCode,
    ).toBe(409)
    const seen = (await detail(w.people.neighbourA, r.id)).json()
    expect(seen).toMatchObject({ following: true, followerCount: 1, actions: ['urge', 'unfollow'] })
    // the follower urges: the timeline shows a resident, not who
    const urged = await w.people.neighbourA.inject({ method: 'POST', url: srApi(w.a.id, `/${r.id}/urge`) })
    expect(urged.statusCode, urged.body).toBe(200)
    const forReporter = (await detail(w.people.residentA, r.id)).json()
    expect(forReporter.timeline.at(-1)).toMatchObject({ action: 'urge', actorKind: 'resident', actorName: null })

    const board = (
      await w.people.neighbourA.inject({ method: 'GET', url: srApi(w.a.id, `/board?buildingId=${w.a.buildingId}`) })
    ).json().items
    expect(board.find((b: Json) => b.id === r.id)).toMatchObject({ followerCount: 1, following: true, mine: false })
    expect(board.every((b: Json) => b.location.kind === 'building')).toBe(true)

    const unfollow = await w.people.neighbourA.inject({ method: 'DELETE', url: srApi(w.a.id, `/${r.id}/follow`) })
    expect(unfollow.json()).toEqual({ following: false, followerCount: 0 })
    // an in-unit request cannot be found, let alone followed
    const inUnit = await fileReq(w.people.residentA, {
      category: '户内维修',
      location: { kind: 'unit', unitId: await unitId(env, w.a.id, '1栋', '101') },
    })
    expect(
      (await w.people.neighbourA.inject({ method: 'POST', url: srApi(w.a.id, `/${inUnit.id}/follow`) })).statusCode,
    ).toBe(404)
  })
})

describe('similar requests: the same place, still open', () => {
  const similar = async (query: string) => {
    const res = await w.people.neighbourA.inject({
      method: 'GET',
      url: srApi(w.a.id, `/similar?categoryId=${cat.环境卫生}&${query}`),
    })
    expect(res.statusCode, res.body).toBe(200)
    return (res.json().items as Json[]).map((s) => s.id as number)
  }

  it('suggests an open request at the same public place or building, never one elsewhere or closed', async () => {
    const file = (location: Json, description = '垃圾满了，没人清理，气味很大') =>
      fileReq(w.people.residentA, { category: '环境卫生', description, location })
    const northGate = await file({ kind: 'public', detail: '北门岗亭' })
    const southGate = await file({ kind: 'public', detail: '南门' })
    const cancelled = await file({ kind: 'public', detail: '北门' })
    expect(
      (await w.people.residentA.inject({ method: 'POST', url: srApi(w.a.id, `/${cancelled.id}/cancel`), payload: {} }))
        .statusCode,
    ).toBe(200)
    const here = await file({ kind: 'building', buildingId: w.a.buildingId, detail: '1单元' })
    const otherBuilding = (
      await env.db
        .select({ id: sql<number>`id` })
        .from(sql`buildings`)
        .where(sql`community_id = ${w.a.id} AND id <> ${w.a.buildingId}`)
    )[0]!.id
    const there = await file({ kind: 'building', buildingId: otherBuilding })
    const resolvedHere = await file({ kind: 'building', buildingId: w.a.buildingId })
    for (const action of ['accept', 'start', 'resolve'])
      expect((await act(w.people.committeeA, resolvedHere.id, action)).statusCode).toBe(200)

    // the same public place in other words; not the south gate, not the cancelled one, not a building
    for (const place of ['北门岗亭', '小区北门', '北门', ' 北门 岗亭 ']) {
      const found = await similar(`place=${encodeURIComponent(place)}`)
      expect(found, place).toContain(northGate.id)
      expect(found, place).not.toContain(southGate.id)
      expect(found, place).not.toContain(cancelled.id)
      expect(found, place).not.toContain(here.id)
    }
    expect(await similar(`place=${encodeURIComponent('东门')}`)).toEqual([])
    // the same building: open ones only, not another building's, not a public area's
    const inBuilding = await similar(`buildingId=${w.a.buildingId}`)
    expect(inBuilding).toContain(here.id)
    expect(inBuilding).not.toContain(there.id)
    expect(inBuilding).not.toContain(resolvedHere.id)
    expect(inBuilding).not.toContain(northGate.id)
    expect(await similar(`buildingId=${otherBuilding}`)).toContain(there.id)
    // another category at the same place is another problem
    const lamp = (
      await w.people.neighbourA.inject({
        method: 'GET',
        url: srApi(w.a.id, `/similar?categoryId=${cat.公共维修}&place=${encodeURIComponent('北门岗亭')}`),
      })
    ).json().items
    expect(lamp.map((s: Json) => s.id)).not.toContain(northGate.id)
    // a place is needed: a building or the words for a public area
    const nowhere = await w.people.neighbourA.inject({
      method: 'GET',
      url: srApi(w.a.id, `/similar?categoryId=${cat.环境卫生}`),
    })
    expect(nowhere.statusCode).toBe(400)
    expect(nowhere.json().error.code).toBe('VALIDATION_FAILED')
  })

  it('lists at most five, newest first', async () => {
    const ids: number[] = []
    for (let i = 0; i < 7; i++)
      ids.push(
        (
          await fileReq(w.people.residentA, {
            category: '环境卫生',
            description: `西门垃圾桶满了（第${i + 1}次）`,
            location: { kind: 'public', detail: '西门垃圾站' },
          })
        ).id,
      )
    expect(await similar(`place=${encodeURIComponent('西门垃圾站')}`)).toEqual(ids.reverse().slice(0, 5))
  })
})

describe('"me too" is for other residents, never for whoever handles the request', () => {
  let chen: Session
  beforeAll(async () => {
    // a committee member who also lives in the community (as 陈建国 does in the demo)
    chen = await login(env, 'openid-committee-resident-A')
    await env.db.insert(communityRoles).values({ communityId: w.a.id, personId: chen.personId, role: 'committee' })
    await env.db.insert(memberships).values({
      personId: chen.personId,
      unitId: await unitId(env, w.a.id, '2栋', '101'),
      communityId: w.a.id,
      relation: 'owner',
      state: 'verified',
      method: 'committee_review',
      reviewedAt: new Date(),
    })
  })

  it('offers and takes "me too" from a neighbour, but neither offers nor takes it from the committee member who handles it', async () => {
    for (const category of ['公共维修', '投诉']) {
      // 公共维修: the property company's, which the committee may act for; 投诉: the committee's own
      const r = await fileReq(w.people.residentA, {
        category,
        location: { kind: 'building', buildingId: w.a.buildingId },
      })
      const forChen = (await detail(chen, r.id)).json()
      expect(forChen.actions, category).toContain('accept')
      expect(forChen.actions, category).not.toContain('follow')
      const refused = await chen.inject({ method: 'POST', url: srApi(w.a.id, `/${r.id}/follow`) })
      expect(refused.statusCode, category).toBe(403)
      expect(refused.json().error.code).toBe('FORBIDDEN')
      expect(await env.db.select().from(srFollowers).where(eq(srFollowers.requestId, r.id))).toEqual([])

      expect((await detail(w.people.neighbourA, r.id)).json().actions, category).toEqual(['follow'])
      expect(
        (await w.people.neighbourA.inject({ method: 'POST', url: srApi(w.a.id, `/${r.id}/follow`) })).json(),
      ).toEqual({ following: true, followerCount: 1 })
      // nor the reporter
      expect((await detail(w.people.residentA, r.id)).json().actions).not.toContain('follow')
      expect(
        (await w.people.residentA.inject({ method: 'POST', url: srApi(w.a.id, `/${r.id}/follow`) })).json().error.code,
      ).toBe('CONFLICT')
    }
  })

  it('does not offer it on a public-area request either: the committee may act for the property company on every category', async () => {
    const r = await fileReq(w.people.residentA, { category: '环境卫生', location: { kind: 'public', detail: '东门' } })
    expect((await detail(chen, r.id)).json().actions).not.toContain('follow')
  })

  it('stops offering "me too" once a request is resolved, and refuses it', async () => {
    const r = await fileReq(w.people.residentA, { location: { kind: 'building', buildingId: w.a.buildingId } })
    for (const action of ['accept', 'start', 'resolve']) expect((await act(chen, r.id, action)).statusCode).toBe(200)
    expect((await detail(w.people.neighbourA, r.id)).json().actions).toEqual([])
    const late = await w.people.neighbourA.inject({ method: 'POST', url: srApi(w.a.id, `/${r.id}/follow`) })
    expect(late.statusCode).toBe(409)
    expect(late.json().error.code).toBe('INVALID_TRANSITION')
  })
})

describe('the lifecycle', () => {
  it('goes submitted → accepted → assigned → in_progress → resolved → closed with a rating, each step recorded; the wrong steps are 409', async () => {
    const r = await fileReq(w.people.residentA, {
      category: '投诉',
      description: '物业保洁长期不打扫楼道',
      location: { kind: 'building', buildingId: w.a.buildingId },
    })
    expect(r.handler).toBe('committee')
    const step = async (s: Session, action: string, extra: Json = {}) => {
      const res = await act(s, r.id, action, extra)
      expect(res.statusCode, `${action}: ${res.body}`).toBe(200)
      return res.json()
    }
    // the reporter cannot act as handler; the wrong step is a 409
    expect((await act(w.people.committeeA, r.id, 'resolve')).json().error.code).toBe('INVALID_TRANSITION')
    await step(w.people.committeeA, 'accept', { note: '已收到，安排处理' })
    const cancel = await w.people.residentA.inject({
      method: 'POST',
      url: srApi(w.a.id, `/${r.id}/cancel`),
      payload: {},
    })
    expect(cancel.statusCode).toBe(409)
    expect(cancel.json().error.code).toBe('INVALID_TRANSITION')
    await step(w.people.workerA, 'assign', { assignee: { name: '李师傅', phone: '13700001111' } })
    await step(w.people.committeeA, 'start')
    expect((await act(w.people.committeeA, r.id, 'accept')).statusCode).toBe(409)
    const resolved = await step(w.people.committeeA, 'resolve', { note: '已与物业沟通，保洁已恢复' })
    expect(resolved).toMatchObject({ status: 'resolved' })
    expect(
      (
        await w.people.neighbourA.inject({
          method: 'POST',
          url: srApi(w.a.id, `/${r.id}/confirm`),
          payload: { overall: 5, speed: 5, attitude: 5 },
        })
      ).statusCode,
    ).toBe(403)
    const bad = await w.people.residentA.inject({
      method: 'POST',
      url: srApi(w.a.id, `/${r.id}/confirm`),
      payload: { overall: 6, speed: 5, attitude: 5 },
    })
    expect(bad.statusCode).toBe(400)
    const mine = (await detail(w.people.residentA, r.id)).json()
    expect(mine.actions).toEqual(['confirm', 'reopen'])
    expect(mine.assignee).toEqual({ name: '李师傅', phone: '13700001111' })
    const closed = await w.people.residentA.inject({
      method: 'POST',
      url: srApi(w.a.id, `/${r.id}/confirm`),
      payload: { overall: 4, speed: 3, attitude: 5, text: '处理及时' },
    })
    expect(closed.statusCode, closed.body).toBe(200)
    expect(closed.json()).toMatchObject({
      status: 'closed',
      rating: { overall: 4, speed: 3, attitude: 5, text: '处理及时' },
      actions: [],
    })
    expect(
      (
        await w.people.residentA.inject({
          method: 'POST',
          url: srApi(w.a.id, `/${r.id}/reopen`),
          payload: { reason: '又脏了' },
        })
      ).statusCode,
    ).toBe(409)

    const timeline = closed.json().timeline as Json[]
    expect(timeline.map((e) => [e.seq, e.action, e.fromStatus, e.toStatus, e.actorKind])).toEqual([
      [1, 'file', null, 'submitted', 'resident'],
      [2, 'accept', 'submitted', 'accepted', 'committee'],
      [3, 'assign', 'accepted', 'assigned', 'committee'],
      [4, 'start', 'assigned', 'in_progress', 'committee'],
      [5, 'resolve', 'in_progress', 'resolved', 'committee'],
      [6, 'confirm', 'resolved', 'closed', 'resident'],
    ])
    expect(timeline[1]).toMatchObject({ note: '已收到，安排处理', actorName: expect.any(String) })
    const rows = await events(r.id)
    expect(rows.map((e) => e.actorPersonId)).toEqual([
      w.people.residentA.personId,
      w.people.committeeA.personId,
      w.people.workerA.personId,
      w.people.committeeA.personId,
      w.people.committeeA.personId,
      w.people.residentA.personId,
    ])
    // the resident was told of each handler step, and the committee-handled request sent nothing to the property company
    expect(await notifications(w.people.residentA.personId, 'sr_progress', r.id)).toHaveLength(4)
    expect(await outbound(r.id)).toEqual([])
    // the others see the rating, not its text
    expect((await detail(w.people.neighbourA, r.id)).json().rating).toMatchObject({ overall: 4, text: null })
    const [row] = await env.db.select().from(serviceRequests).where(eq(serviceRequests.id, r.id))
    expect(row).toMatchObject({ onTime: true, eventSeq: 6, reopenCount: 0 })
  })

  it('reopens with a reason, counts it, and resolves again; reject needs a reason; duplicate links the original; cancel before acceptance', async () => {
    const r = await fileReq(w.people.residentA, {
      category: '建议',
      description: '建议在小区里增加儿童游乐设施',
      location: { kind: 'public', detail: '中心花园' },
    })
    for (const a of ['accept', 'start', 'resolve'])
      expect((await act(w.people.committeeA, r.id, a)).statusCode).toBe(200)
    expect(
      (await w.people.residentA.inject({ method: 'POST', url: srApi(w.a.id, `/${r.id}/reopen`), payload: {} }))
        .statusCode,
    ).toBe(400)
    const reopened = await w.people.residentA.inject({
      method: 'POST',
      url: srApi(w.a.id, `/${r.id}/reopen`),
      payload: { reason: '只装了一个滑梯，太少' },
    })
    expect(reopened.json()).toMatchObject({ status: 'reopened', reopenCount: 1 })
    const [job] = await env.db
      .select()
      .from(scheduledJobs)
      .where(eq(scheduledJobs.jobKey, `sr.resolve_due:${r.id}`))
    expect(job!.doneAt).toBeNull()
    for (const a of ['start', 'resolve']) expect((await act(w.people.committeeA, r.id, a)).statusCode).toBe(200)
    expect(
      (
        await w.people.residentA.inject({
          method: 'POST',
          url: srApi(w.a.id, `/${r.id}/confirm`),
          payload: { overall: 3, speed: 2, attitude: 4 },
        })
      ).json().status,
    ).toBe('closed')
    expect((await events(r.id)).map((e) => e.action)).toEqual([
      'file',
      'accept',
      'start',
      'resolve',
      'reopen',
      'start',
      'resolve',
      'confirm',
    ])

    const toReject = await fileReq(w.people.residentA, {
      category: '建议',
      description: '建议把小区大门刷成金色',
      location: { kind: 'public', detail: '大门' },
    })
    expect((await act(w.people.committeeA, toReject.id, 'reject')).statusCode).toBe(400)
    const rejected = await act(w.people.committeeA, toReject.id, 'reject', {
      note: '不符合小区整体风格，经业委会讨论不采纳',
    })
    expect(rejected.json()).toMatchObject({ status: 'rejected' })

    const original = await fileReq(w.people.residentA, { description: '2单元路灯不亮，已经三天了' })
    const dupe = await fileReq(w.people.neighbourA, { description: '2单元门口路灯坏了很久' })
    expect((await act(w.people.committeeA, dupe.id, 'duplicate')).statusCode).toBe(400)
    expect((await act(w.people.committeeA, dupe.id, 'duplicate', { duplicateOf: dupe.id })).statusCode).toBe(400)
    const marked = await act(w.people.committeeA, dupe.id, 'duplicate', {
      duplicateOf: original.id,
      note: '与已有报事重复',
    })
    expect(marked.json()).toMatchObject({ status: 'duplicate', duplicateOf: original.id })
    // the neighbour now follows the original
    expect((await detail(w.people.neighbourA, original.id)).json().following).toBe(true)

    const toCancel = await fileReq(w.people.residentA, { description: '不小心提交的报事，撤回' })
    const cancelled = await w.people.residentA.inject({
      method: 'POST',
      url: srApi(w.a.id, `/${toCancel.id}/cancel`),
      payload: { reason: '已自行解决' },
    })
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' })
    const [acceptJob] = await env.db
      .select()
      .from(scheduledJobs)
      .where(eq(scheduledJobs.jobKey, `sr.accept_due:${toCancel.id}`))
    expect(acceptJob!.lastError).toBe('cancelled')
  })

  it('the committee acts in place of the property company; the company receives every step with increasing sequence numbers', async () => {
    const r = await fileReq(w.people.residentA)
    for (const a of ['accept', 'start', 'resolve']) expect((await act(w.people.workerA, r.id, a)).statusCode).toBe(200)
    await w.people.residentA.inject({
      method: 'POST',
      url: srApi(w.a.id, `/${r.id}/reopen`),
      payload: { reason: '晚上还是不亮' },
    })
    await w.people.residentA.inject({ method: 'POST', url: srApi(w.a.id, `/${r.id}/urge`) })
    for (const a of ['start', 'resolve']) expect((await act(w.people.committeeA, r.id, a)).statusCode).toBe(200)
    await w.people.residentA.inject({
      method: 'POST',
      url: srApi(w.a.id, `/${r.id}/confirm`),
      payload: { overall: 5, speed: 4, attitude: 5, text: '好' },
    })
    const sent = await outbound(r.id)
    expect(sent.map((m) => [m.data.sequence, m.type, m.data.event.action])).toEqual([
      [1, 'service_request.created', 'file'],
      [2, 'service_request.updated', 'accept'],
      [3, 'service_request.updated', 'start'],
      [4, 'service_request.updated', 'resolve'],
      [5, 'service_request.reopened', 'reopen'],
      [6, 'service_request.urged', 'urge'],
      [7, 'service_request.updated', 'start'],
      [8, 'service_request.updated', 'resolve'],
      [9, 'service_request.rated', 'confirm'],
    ])
    expect(sent.map((m) => m.messageId)).toEqual(sent.map((m) => `msg_sr${r.id}_${m.data.sequence}`))
    expect(sent[4]!.data.reopenReason).toBe('晚上还是不亮')
    expect(sent[8]!.data.rating).toEqual({ overall: 5, speed: 4, attitude: 5, text: '好' })
    expect(sent[1]!.data.event).toMatchObject({ from: 'submitted', to: 'accepted', actorKind: 'committee' })
  })

  it('keeps the platform admin and residents out of the handler role', async () => {
    const r = await fileReq(w.people.residentA)
    expect((await act(w.people.admin, r.id, 'accept')).statusCode).toBe(403)
    expect((await act(w.people.residentA, r.id, 'accept')).statusCode).toBe(403)
    expect((await act(w.people.committeeB, r.id, 'accept')).statusCode).toBe(403)
    expect((await act(w.people.committeeB, r.id, 'accept', {}, w.b.id)).statusCode).toBe(404)
    expect((await events(r.id)).map((e) => e.action)).toEqual(['file'])
  })
})

describe('urging (催办)', () => {
  it('allows once per five minutes per request, kept in MySQL so another instance refuses too', async () => {
    const r = await fileReq(w.people.residentA, {
      category: '投诉',
      description: '楼上装修噪音太大了',
      location: { kind: 'building', buildingId: w.a.buildingId },
    })
    const urge = (app: FastifyInstance = env.app) =>
      app.inject({
        method: 'POST',
        url: srApi(w.a.id, `/${r.id}/urge`),
        headers: { authorization: `Bearer ${w.people.residentA.accessToken}` },
      })
    const first = await urge()
    expect(first.statusCode, first.body).toBe(200)
    expect(first.json().count).toBe(1)
    expect(new Date(first.json().nextAllowedAt).getTime() - new Date(first.json().lastAt).getTime()).toBe(5 * 60_000)
    const tooSoon = await urge(second)
    expect(tooSoon.statusCode).toBe(429)
    expect(tooSoon.json().error.code).toBe('URGE_TOO_SOON')
    expect(tooSoon.json().error.details.retryAfter).toBeGreaterThan(290)
    // five minutes later (moved in the database, not waited)
    await env.db
      .update(serviceRequests)
      .set({ lastUrgedAt: new Date(Date.now() - 5 * 60_000 - 1) })
      .where(eq(serviceRequests.id, r.id))
    const later = await urge(second)
    expect(later.statusCode, later.body).toBe(200)
    expect(later.json().count).toBe(2)
    // committee-handled: the committee and the worker are told each time
    expect(await notifications(w.people.committeeA.personId, 'sr_todo', r.id)).toHaveLength(3) // filed + 2 urges
    expect(await notifications(w.people.workerA.personId, 'sr_todo', r.id)).toHaveLength(3)
    // not the reporter, not a follower: refused; closed requests cannot be urged
    expect((await w.people.neighbourA.inject({ method: 'POST', url: srApi(w.a.id, `/${r.id}/urge`) })).statusCode).toBe(
      403,
    )
    await w.people.residentA.inject({ method: 'POST', url: srApi(w.a.id, `/${r.id}/cancel`), payload: {} })
    await env.db.update(serviceRequests).set({ lastUrgedAt: null }).where(eq(serviceRequests.id, r.id))
    expect((await urge()).statusCode).toBe(409)
  })

  it('sends service_request.urged to the property company for its requests', async () => {
    const r = await fileReq(w.people.residentA)
    expect((await w.people.residentA.inject({ method: 'POST', url: srApi(w.a.id, `/${r.id}/urge`) })).statusCode).toBe(
      200,
    )
    const sent = await outbound(r.id)
    expect(sent.map((m) => m.type)).toEqual(['service_request.created', 'service_request.urged'])
    expect(sent[1]!.data).toMatchObject({ sequence: 2, urgeCount: 1 })
  })
})

describe('SLA timers', () => {
  async function dueNow(jobKey: string, column: 'acceptDueAt' | 'resolveDueAt', requestId: number) {
    const past = new Date(Date.now() - 1000)
    await env.db
      .update(serviceRequests)
      .set({ [column]: past })
      .where(eq(serviceRequests.id, requestId))
    await env.db.update(scheduledJobs).set({ runAt: past }).where(eq(scheduledJobs.jobKey, jobKey))
  }

  it('escalates an unaccepted request once across two instances, tells the committee, worker, resident and company, and fills the inbox', async () => {
    const quick = await w.people.committeeA.inject({
      method: 'POST',
      url: categoriesApi(w.a.id),
      payload: { name: '一分钟', handler: 'property', urgency: 'high', acceptMinutes: 1, resolveMinutes: 1 },
    })
    expect(quick.statusCode).toBe(201)
    cat.一分钟 = quick.json().id
    const r = await fileReq(w.people.residentA, { category: '一分钟' })
    const [job] = await env.db
      .select()
      .from(scheduledJobs)
      .where(eq(scheduledJobs.jobKey, `sr.accept_due:${r.id}`))
    expect(job!.kind).toBe('sr.accept_due')
    // nothing is due yet
    await Promise.all([env.app.scheduler.runDue(), second.scheduler.runDue()])
    expect((await events(r.id)).map((e) => e.action)).toEqual(['file'])

    await dueNow(`sr.accept_due:${r.id}`, 'acceptDueAt', r.id)
    await Promise.all([
      env.app.scheduler.runDue(),
      second.scheduler.runDue(),
      env.app.scheduler.runDue(),
      second.scheduler.runDue(),
    ])
    await Promise.all([env.app.scheduler.runDue(), second.scheduler.runDue()])
    const rows = await events(r.id)
    expect(rows.map((e) => [e.action, e.actorKind])).toEqual([
      ['file', 'resident'],
      ['escalate', 'system'],
    ])
    const [row] = await env.db.select().from(serviceRequests).where(eq(serviceRequests.id, r.id))
    expect(row).toMatchObject({ escalation: 'accept_overdue', onTime: false, status: 'submitted' })
    expect(await notifications(w.people.committeeA.personId, 'sr_overdue', r.id)).toHaveLength(1)
    expect(await notifications(w.people.workerA.personId, 'sr_overdue', r.id)).toHaveLength(1)
    expect(await notifications(w.people.residentA.personId, 'sr_progress', r.id)).toHaveLength(1)
    const sent = await outbound(r.id)
    expect(sent.map((m) => [m.type, m.data.sequence])).toEqual([
      ['service_request.created', 1],
      ['service_request.escalated', 2],
    ])
    expect(sent[1]!.data.escalation).toBe('accept_overdue')

    const inbox = (await w.people.workerA.inject({ method: 'GET', url: srApi(w.a.id, '/escalations') })).json().items
    expect(inbox.find((i: Json) => i.id === r.id)).toMatchObject({ escalation: 'accept_overdue', urgeCount: 0 })
    expect((await w.people.residentA.inject({ method: 'GET', url: srApi(w.a.id, '/escalations') })).statusCode).toBe(
      403,
    )

    // accepted late: the accept escalation is over, the resolve clock runs; overdue again → escalated again, once
    expect((await act(w.people.committeeA, r.id, 'accept')).statusCode).toBe(200)
    expect(
      (await w.people.workerA.inject({ method: 'GET', url: srApi(w.a.id, '/escalations') }))
        .json()
        .items.some((i: Json) => i.id === r.id),
    ).toBe(false)
    await dueNow(`sr.resolve_due:${r.id}`, 'resolveDueAt', r.id)
    await Promise.all([env.app.scheduler.runDue(), second.scheduler.runDue()])
    await Promise.all([env.app.scheduler.runDue(), second.scheduler.runDue()])
    expect((await events(r.id)).map((e) => e.action)).toEqual(['file', 'escalate', 'accept', 'escalate'])
    const after = (await detail(w.people.residentA, r.id)).json()
    expect(after).toMatchObject({ escalation: 'resolve_overdue', status: 'accepted' })
    expect(after.timeline.at(-1)).toMatchObject({ action: 'escalate', actorKind: 'system', note: '超时未解决' })
  })

  it('leaves a request alone when its timer fires after it moved on', async () => {
    const r = await fileReq(w.people.residentA)
    await act(w.people.committeeA, r.id, 'accept')
    await env.db
      .update(scheduledJobs)
      .set({ runAt: new Date(Date.now() - 1000), doneAt: null, lastError: null })
      .where(eq(scheduledJobs.jobKey, `sr.accept_due:${r.id}`))
    await env.db
      .update(serviceRequests)
      .set({ acceptDueAt: new Date(Date.now() - 1000) })
      .where(eq(serviceRequests.id, r.id))
    await env.app.scheduler.runDue()
    expect((await events(r.id)).map((e) => e.action)).toEqual(['file', 'accept'])
  })

  it('closes a resolved request the reporter leaves alone, as the system — even by an instance started afterwards', async () => {
    const r = await fileReq(w.people.residentA)
    for (const a of ['accept', 'start', 'resolve']) await act(w.people.committeeA, r.id, a)
    const [job] = await env.db
      .select()
      .from(scheduledJobs)
      .where(eq(scheduledJobs.jobKey, `sr.auto_close:${r.id}`))
    expect(job!.runAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000)
    await env.db
      .update(serviceRequests)
      .set({ resolvedAt: new Date(Date.now() - 8 * 86_400_000) })
      .where(eq(serviceRequests.id, r.id))
    await env.db
      .update(scheduledJobs)
      .set({ runAt: new Date(Date.now() - 1000) })
      .where(eq(scheduledJobs.jobKey, `sr.auto_close:${r.id}`))
    // the timer lives in MySQL: a BFF started after it was set (a restart) fires it, once, alongside another
    const restarted = await env.newApp()
    await Promise.all([restarted.scheduler.runDue(), second.scheduler.runDue()])
    const rows = await events(r.id)
    expect(rows.at(-1)).toMatchObject({ action: 'auto_close', actorKind: 'system', toStatus: 'closed' })
    expect(rows.filter((e) => e.action === 'auto_close')).toHaveLength(1)
  })
})

describe("the property company's status_changed webhook", () => {
  async function post(body: Json, msgId = `msg_${randomUUID()}`) {
    const raw = JSON.stringify(body)
    const ts = Math.floor(Date.now() / 1000)
    return env.app.inject({
      method: 'POST',
      url: `/webhooks/property/${integration.id}`,
      payload: raw,
      headers: {
        'content-type': 'application/json',
        'webhook-id': msgId,
        'webhook-timestamp': String(ts),
        'webhook-signature': sign(integration.secret, msgId, ts, raw),
      },
    })
  }
  const changed = (requestId: number, status: string, extra: Json = {}) => ({
    type: 'service_request.status_changed',
    timestamp: new Date().toISOString(),
    data: { requestId, status, ...extra },
  })

  it('moves its requests on through the real endpoint, records the company as actor, and refuses impossible steps with 409', async () => {
    const r = await fileReq(w.people.residentA)
    const accepted = await post(changed(r.id, 'accepted', { note: '已受理' }))
    expect(accepted.statusCode, accepted.body).toBe(200)
    expect(accepted.json()).toMatchObject({
      received: true,
      duplicate: false,
      result: { requestId: r.id, status: 'accepted', sequence: 2 },
    })
    const assigned = await post(changed(r.id, 'assigned', { handler: { name: '王师傅', phone: '13800138000' } }))
    expect(assigned.statusCode, assigned.body).toBe(200)
    const skip = await post(changed(r.id, 'closed'))
    expect(skip.statusCode).toBe(409)
    expect(skip.json().error.code).toBe('INVALID_TRANSITION')
    const backwards = await post(changed(r.id, 'accepted'))
    expect(backwards.statusCode).toBe(409)
    const unknown = await post(changed(r.id, 'fixed'))
    expect(unknown.statusCode).toBe(400)
    const reject = await post(changed(r.id, 'rejected'))
    expect(reject.statusCode).toBe(409) // not from assigned
    for (const s of ['in_progress', 'resolved']) expect((await post(changed(r.id, s))).statusCode).toBe(200)

    const seen = (await detail(w.people.residentA, r.id)).json()
    expect(seen.status).toBe('resolved')
    expect(seen.assignee).toEqual({ name: '王师傅', phone: '13800138000' })
    expect(seen.timeline.slice(1).map((e: Json) => [e.action, e.actorKind, e.actorName])).toEqual([
      ['accept', 'property', '示例物业A'],
      ['assign', 'property', '示例物业A 王师傅'],
      ['start', 'property', '示例物业A'],
      ['resolve', 'property', '示例物业A'],
    ])
    // the same webhook-id twice applies once
    const again = await post(changed(r.id, 'in_progress'), 'msg_fixed_once')
    expect(again.statusCode).toBe(409)
    const r2 = await fileReq(w.people.residentA)
    expect((await post(changed(r2.id, 'accepted'), 'msg_once_only')).statusCode).toBe(200)
    const replay = await post(changed(r2.id, 'accepted'), 'msg_once_only')
    expect(replay.json()).toMatchObject({ duplicate: true })
    expect((await events(r2.id)).map((e) => e.action)).toEqual(['file', 'accept'])
    // the resident heard of each step
    expect(await notifications(w.people.residentA.personId, 'sr_progress', r.id)).toHaveLength(4)
  })

  it('touches only requests of its communities that it handles', async () => {
    const committeeHandled = await fileReq(w.people.residentA, {
      category: '投诉',
      description: '邻居家的狗天天叫',
      location: { kind: 'building', buildingId: w.a.buildingId },
    })
    const res = await post(changed(committeeHandled.id, 'accepted'))
    expect(res.statusCode).toBe(404)
    const bCats = (await w.people.residentB.inject({ method: 'GET', url: categoriesApi(w.b.id) })).json()
      .items as Json[]
    const inB = await w.people.residentB.inject({
      method: 'POST',
      url: srApi(w.b.id),
      payload: {
        categoryId: bCats.find((c) => c.name === '环境卫生')!.id,
        description: '垃圾站很臭需要清理',
        location: { kind: 'public', detail: '垃圾站' },
        answers: {},
        photoIds: [],
        sharePhone: false,
      },
    })
    const other = await post(changed(inB.json().id, 'accepted'))
    expect(other.statusCode).toBe(404)
    expect((await events(inB.json().id)).map((e) => e.action)).toEqual(['file'])
    expect((await events(committeeHandled.id)).map((e) => e.action)).toEqual(['file'])
  })
})

describe('public figures (公众评价机制)', () => {
  it('computes counts, exact medians, on-time and reopen rates and mean ratings over 30 and 90 days, per community and per company', async () => {
    const [c] = await env.db.insert(communities).values({ name: '评价测试小区' }).$returningId()
    const cid = c!.id
    await importRoster(env.db, env.protector, {
      communityId: cid,
      actorPersonId: null,
      source: 'test',
      units: demoRoster(1, 1, 2),
      rejected: [],
    })
    const company = await contractCompany(env, cid, '评价物业')
    const resident = await login(env, 'figures-resident')
    await env.db.insert(memberships).values({
      personId: resident.personId,
      unitId: await unitId(env, cid, '1栋', '101'),
      communityId: cid,
      relation: 'owner',
      state: 'verified',
      method: 'committee_review',
    })
    const cats = (await resident.inject({ method: 'GET', url: categoriesApi(cid) })).json().items as Json[]
    const catId = (name: string) => cats.find((x) => x.name === name)!.id
    const DAY = 86_400_000
    const now = Date.now()
    const at = (daysAgo: number, plusSeconds?: number | null) =>
      plusSeconds === null || plusSeconds === undefined ? null : new Date(now - daysAgo * DAY + plusSeconds * 1000)
    // [days ago, handler, accept s, first resolve s, on time, reopened, rating]
    const rows: [
      number,
      'property' | 'committee',
      number | null,
      number | null,
      boolean | null,
      number,
      [number, number, number] | null,
    ][] = [
      [10, 'property', 600, 3600, true, 0, [5, 4, 5]],
      [9, 'property', 60, 7200, true, 1, [3, 3, 4]],
      [8, 'property', 1800, null, false, 0, null],
      [7, 'property', 120, 600, false, 0, [4, 5, 5]],
      [1, 'property', null, null, null, 0, null],
      [60, 'property', 30, 90, true, 0, [1, 1, 1]],
      [2, 'committee', 300, 900, true, 0, null],
      [120, 'property', 10, 20, true, 0, [5, 5, 5]], // outside both windows
    ]
    for (const [days, handler, acc, res, onTime, reopen, rating] of rows) {
      const createdAt = new Date(now - days * DAY)
      await env.db.insert(serviceRequests).values({
        communityId: cid,
        categoryId: catId(handler === 'property' ? '公共维修' : '投诉'),
        reporterPersonId: resident.personId,
        handler,
        propertyCompanyId: handler === 'property' ? company : null,
        status: rating ? 'closed' : res ? 'resolved' : acc ? 'accepted' : 'submitted',
        locationKind: 'public',
        locationDetail: '北门',
        description: '统计用的报事',
        answers: {},
        resolveMinutes: 60,
        acceptDueAt: new Date(createdAt.getTime() + 30 * 60_000),
        acceptedAt: at(days, acc),
        firstResolvedAt: at(days, res),
        resolvedAt: at(days, res),
        onTime,
        reopenCount: reopen,
        ratingOverall: rating?.[0] ?? null,
        ratingSpeed: rating?.[1] ?? null,
        ratingAttitude: rating?.[2] ?? null,
        ratedAt: rating ? at(days, (res ?? 0) + 60) : null,
        createdAt,
      })
    }
    const get = async (days: number) => {
      const r = await resident.inject({ method: 'GET', url: srApi(cid, `/figures?days=${days}`) })
      expect(r.statusCode, r.body).toBe(200)
      return r.json()
    }
    const d30 = await get(30)
    expect(d30.community).toEqual({
      requests: 6,
      accepted: 5,
      resolved: 4,
      medianAcceptSeconds: 300, // 60 120 [300] 600 1800
      medianResolveSeconds: 2250, // 600 [900 3600] 7200
      onTime: { count: 3, of: 5, basisPoints: 6000 },
      reopened: { count: 1, of: 4, basisPoints: 2500 },
      ratings: {
        count: 3,
        overall: { sum: 12, mean: 4 },
        speed: { sum: 12, mean: 4 },
        attitude: { sum: 14, mean: 4.67 },
      },
    })
    expect(median([600, 60, 1800, 120, 300])).toBe(d30.community.medianAcceptSeconds)
    expect(median([3600, 7200, 600, 900])).toBe(d30.community.medianResolveSeconds)
    expect(d30.propertyCompany).toMatchObject({ id: company, name: '评价物业' })
    expect(d30.propertyCompany.figures).toEqual({
      requests: 5,
      accepted: 4,
      resolved: 3,
      medianAcceptSeconds: 360, // 60 [120 600] 1800
      medianResolveSeconds: 3600, // 600 [3600] 7200
      onTime: { count: 2, of: 4, basisPoints: 5000 },
      reopened: { count: 1, of: 3, basisPoints: 3333 },
      ratings: {
        count: 3,
        overall: { sum: 12, mean: 4 },
        speed: { sum: 12, mean: 4 },
        attitude: { sum: 14, mean: 4.67 },
      },
    })
    const d90 = await get(90)
    expect(d90.community).toEqual({
      requests: 7,
      accepted: 6,
      resolved: 5,
      medianAcceptSeconds: 210, // 30 60 [120 300] 600 1800
      medianResolveSeconds: 900, // 90 600 [900] 3600 7200
      onTime: { count: 4, of: 6, basisPoints: 6666 },
      reopened: { count: 1, of: 5, basisPoints: 2000 },
      ratings: {
        count: 4,
        overall: { sum: 13, mean: 3.25 },
        speed: { sum: 13, mean: 3.25 },
        attitude: { sum: 15, mean: 3.75 },
      },
    })
    expect((await resident.inject({ method: 'GET', url: srApi(cid, '/figures?days=7') })).statusCode).toBe(400)
    expect((await resident.inject({ method: 'GET', url: srApi(cid, '/figures') })).json()).toMatchObject({
      days: 30,
      community: { requests: 6 },
    })
    expect((await w.people.residentA.inject({ method: 'GET', url: srApi(cid, '/figures') })).statusCode).toBe(403)
    // a community without a property company, and nothing rated or resolved: nulls, not NaN
    const b = (await w.people.residentB.inject({ method: 'GET', url: srApi(w.b.id, '/figures?days=30') })).json()
    expect(b.propertyCompany).toBeNull()
    expect(b.community).toMatchObject({
      accepted: 0,
      medianAcceptSeconds: null,
      medianResolveSeconds: null,
      onTime: { count: 0, of: 0, basisPoints: null },
      ratings: { count: 0, overall: { sum: 0, mean: null } },
    })
  })
})

describe('my requests', () => {
  it('lists mine with their timelines, newest first, and nobody else’s', async () => {
    const mine = (await w.people.residentA.inject({ method: 'GET', url: srApi(w.a.id, '/mine') })).json()
      .items as Json[]
    expect(mine.length).toBeGreaterThan(5)
    expect(mine.every((m) => m.mine)).toBe(true)
    expect(mine.map((m) => m.id)).toEqual([...mine.map((m) => m.id)].sort((a, b) => b - a))
    expect(mine.every((m) => m.timeline[0].action === 'file')).toBe(true)
    const neighbours = (await w.people.neighbourA.inject({ method: 'GET', url: srApi(w.a.id, '/mine') })).json()
      .items as Json[]
    expect(neighbours.every((m) => !mine.some((x) => x.id === m.id))).toBe(true)
  })

  it('lets the committee list and filter every request', async () => {
    const all = (
      await w.people.committeeA.inject({ method: 'GET', url: srApi(w.a.id, '?status=closed&limit=5') })
    ).json().items as Json[]
    expect(all.length).toBeGreaterThan(0)
    expect(all.length).toBeLessThanOrEqual(5)
    expect(all.every((r) => r.status === 'closed')).toBe(true)
    const escalated = (await w.people.workerA.inject({ method: 'GET', url: srApi(w.a.id, '?escalated=true') })).json()
      .items as Json[]
    expect(escalated.length).toBeGreaterThan(0)
    expect(escalated.every((r) => r.escalation !== null)).toBe(true)
  })
})
