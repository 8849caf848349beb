import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { serviceRequests, srEvents, srFollowers } from '@linli/bff/db/schema'
import { startTestEnv, type Session, type TestEnv } from '../helpers/app'
import { buildWorld, unitId, type World } from '../helpers/world'
import { categoriesApi, contractCompany, jpegWithGps, multipart, photoApi, srApi } from './service-requests-fixtures'

/**
 * The authorization matrix of every service-request route: the right people of community A, people of B, the
 * wrong role, nobody. Changing an id in the path never reaches another community's request or another
 * household's in-unit request, and a refused call changes nothing.
 */
let env: TestEnv
let w: World
let uploadDir: string
const cat: Record<string, number> = {}
let bRequest: number
let bCategory: number

type Who = keyof World['people'] | 'anonymous'
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'
const EVERYONE: Who[] = [
  'committeeA',
  'workerA',
  'residentA',
  'neighbourA',
  'committeeB',
  'residentB',
  'outsider',
  'admin',
  'anonymous',
]
const CODE: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT' }

const call = (who: Who, method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  who === 'anonymous'
    ? env.app.inject({ method, url, payload: payload as never, headers })
    : (w.people[who] as Session).inject({ method, url, payload: payload as never, headers })

async function file(
  s: Session,
  kind: 'building' | 'unit',
  communityId = w.a.id,
  categoryId = cat.公共维修!,
): Promise<number> {
  const location =
    kind === 'unit'
      ? { kind: 'unit', unitId: await unitId(env, communityId, '1栋', s === w.people.residentA ? '101' : '102') }
      : { kind: 'building', buildingId: communityId === w.a.id ? w.a.buildingId : w.b.buildingId }
  const res = await s.inject({
    method: 'POST',
    url: srApi(communityId),
    payload: {
      categoryId: kind === 'unit' ? cat.户内维修 : categoryId,
      description: '授权测试用的报事',
      location,
      answers: kind === 'unit' ? { part: ['water'] } : { facility: 'door' },
      photoIds: [],
      sharePhone: false,
    },
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().id
}

async function resolved(kind: 'building' | 'unit'): Promise<number> {
  const id = await file(w.people.residentA, kind)
  for (const action of ['accept', 'start', 'resolve']) {
    const res = await w.people.committeeA.inject({
      method: 'POST',
      url: srApi(w.a.id, `/${id}/transitions`),
      payload: { action },
    })
    expect(res.statusCode, res.body).toBe(200)
  }
  return id
}

const eventCount = async (id: number) => (await env.db.select().from(srEvents).where(eq(srEvents.requestId, id))).length

interface Prepared {
  url: string
  payload?: unknown
  headers?: Record<string, string>
  /** the request whose events must not change when the call is refused */
  requestId?: number
}

interface Case {
  name: string
  method: Method
  prepare: () => Promise<Prepared>
  allowed: Who[]
  denied: Partial<Record<Who, number>>
}

const viewers: Who[] = ['residentA', 'neighbourA', 'committeeA', 'workerA', 'admin']
const notOfA = { residentB: 403, committeeB: 403, outsider: 403, anonymous: 401 } as const
const supervisors: Who[] = ['committeeA', 'workerA', 'admin']
const nonResidents = { committeeA: 403, workerA: 403, admin: 403, ...notOfA } as const
const onlyReporter = {
  neighbourA: 403,
  committeeA: 403,
  workerA: 403,
  admin: 403,
  residentB: 404,
  committeeB: 404,
  outsider: 404,
  anonymous: 401,
} as const
const onlyReporterInUnit = { ...onlyReporter, neighbourA: 404 } as const

let publicId: number
let unitReqId: number

const cases: Case[] = [
  {
    name: 'list categories',
    method: 'GET',
    prepare: async () => ({ url: categoriesApi(w.a.id) }),
    allowed: viewers,
    denied: notOfA,
  },
  {
    name: 'add a category',
    method: 'POST',
    prepare: async () => ({
      url: categoriesApi(w.a.id),
      payload: {
        name: `类别${randomUUID().slice(0, 8)}`,
        handler: 'committee',
        urgency: 'low',
        acceptMinutes: 60,
        resolveMinutes: 600,
      },
    }),
    allowed: supervisors,
    denied: { residentA: 403, neighbourA: 403, ...notOfA },
  },
  {
    name: 'edit a category',
    method: 'PUT',
    prepare: async () => ({
      url: categoriesApi(w.a.id, `/${cat.建议}`),
      payload: { name: '建议', handler: 'committee', urgency: 'low', acceptMinutes: 4320, resolveMinutes: 20160 },
    }),
    allowed: supervisors,
    denied: { residentA: 403, neighbourA: 403, ...notOfA },
  },
  {
    name: "edit another community's category through this one",
    method: 'PUT',
    prepare: async () => ({
      url: categoriesApi(w.a.id, `/${bCategory}`),
      payload: { name: '改名', handler: 'committee', urgency: 'low', acceptMinutes: 1, resolveMinutes: 2 },
    }),
    allowed: [],
    denied: { committeeA: 404, workerA: 404, admin: 404, residentA: 403, committeeB: 403 },
  },
  {
    name: 'upload a photo',
    method: 'POST',
    prepare: async () => {
      const m = multipart(jpegWithGps())
      return { url: photoApi(w.a.id), payload: m.payload, headers: m.headers }
    },
    allowed: ['residentA', 'neighbourA'],
    denied: nonResidents,
  },
  {
    name: 'file a request',
    method: 'POST',
    prepare: async () => ({
      url: srApi(w.a.id),
      payload: {
        categoryId: cat.公共维修,
        description: '授权测试用的报事',
        location: { kind: 'building', buildingId: w.a.buildingId },
        answers: { facility: 'door' },
        photoIds: [],
        sharePhone: false,
      },
    }),
    allowed: ['residentA', 'neighbourA'],
    denied: nonResidents,
  },
  {
    name: 'list every request',
    method: 'GET',
    prepare: async () => ({ url: srApi(w.a.id) }),
    allowed: supervisors,
    denied: { residentA: 403, neighbourA: 403, ...notOfA },
  },
  {
    name: 'escalations inbox',
    method: 'GET',
    prepare: async () => ({ url: srApi(w.a.id, '/escalations') }),
    allowed: supervisors,
    denied: { residentA: 403, neighbourA: 403, ...notOfA },
  },
  {
    name: 'my requests',
    method: 'GET',
    prepare: async () => ({ url: srApi(w.a.id, '/mine') }),
    allowed: viewers,
    denied: notOfA,
  },
  {
    name: 'similar requests',
    method: 'GET',
    prepare: async () => ({
      url: srApi(w.a.id, `/similar?categoryId=${cat.公共维修}&buildingId=${w.a.buildingId}`),
    }),
    allowed: viewers,
    denied: notOfA,
  },
  {
    name: 'board',
    method: 'GET',
    prepare: async () => ({ url: srApi(w.a.id, `/board?buildingId=${w.a.buildingId}`) }),
    allowed: viewers,
    denied: notOfA,
  },
  {
    name: 'figures',
    method: 'GET',
    prepare: async () => ({ url: srApi(w.a.id, '/figures?days=90') }),
    allowed: viewers,
    denied: notOfA,
  },
  {
    name: 'read a shared-area request',
    method: 'GET',
    prepare: async () => ({ url: srApi(w.a.id, `/${publicId}`) }),
    allowed: viewers,
    denied: { residentB: 404, committeeB: 404, outsider: 404, anonymous: 401 },
  },
  {
    name: "read another household's in-unit request",
    method: 'GET',
    prepare: async () => ({ url: srApi(w.a.id, `/${unitReqId}`) }),
    allowed: ['residentA', 'committeeA', 'workerA', 'admin'],
    denied: { neighbourA: 404, residentB: 404, committeeB: 404, outsider: 404, anonymous: 401 },
  },
  {
    name: "read B's request through A's path, or A's through B's",
    method: 'GET',
    prepare: async () => ({ url: srApi(w.a.id, `/${bRequest}`) }),
    allowed: [],
    denied: Object.fromEntries(EVERYONE.map((who) => [who, who === 'anonymous' ? 401 : 404])),
  },
  {
    name: 'cancel',
    method: 'POST',
    prepare: async () => {
      const id = await file(w.people.residentA, 'building')
      return { url: srApi(w.a.id, `/${id}/cancel`), payload: {}, requestId: id }
    },
    allowed: ['residentA'],
    denied: onlyReporter,
  },
  {
    name: 'cancel an in-unit request',
    method: 'POST',
    prepare: async () => {
      const id = await file(w.people.residentA, 'unit')
      return { url: srApi(w.a.id, `/${id}/cancel`), payload: {}, requestId: id }
    },
    allowed: ['residentA'],
    denied: onlyReporterInUnit,
  },
  {
    name: 'confirm and rate',
    method: 'POST',
    prepare: async () => {
      const id = await resolved('building')
      return { url: srApi(w.a.id, `/${id}/confirm`), payload: { overall: 5, speed: 5, attitude: 5 }, requestId: id }
    },
    allowed: ['residentA'],
    denied: onlyReporter,
  },
  {
    name: 'reopen',
    method: 'POST',
    prepare: async () => {
      const id = await resolved('unit')
      return { url: srApi(w.a.id, `/${id}/reopen`), payload: { reason: '没修好' }, requestId: id }
    },
    allowed: ['residentA'],
    denied: onlyReporterInUnit,
  },
  {
    name: 'urge',
    method: 'POST',
    prepare: async () => {
      const id = await file(w.people.residentA, 'building')
      return { url: srApi(w.a.id, `/${id}/urge`), requestId: id }
    },
    allowed: ['residentA'],
    denied: onlyReporter,
  },
  {
    name: 'me too',
    method: 'POST',
    prepare: async () => {
      const id = await file(w.people.residentA, 'building')
      return { url: srApi(w.a.id, `/${id}/follow`), requestId: id }
    },
    allowed: ['neighbourA'],
    denied: { residentA: 409, ...nonResidents },
  },
  {
    name: 'me too on an in-unit request',
    method: 'POST',
    prepare: async () => {
      const id = await file(w.people.residentA, 'unit')
      return { url: srApi(w.a.id, `/${id}/follow`), requestId: id }
    },
    allowed: [],
    denied: { neighbourA: 404, ...nonResidents },
  },
  {
    name: 'stop following',
    method: 'DELETE',
    prepare: async () => ({ url: srApi(w.a.id, `/${publicId}/follow`) }),
    allowed: ['neighbourA'],
    denied: nonResidents,
  },
  {
    name: 'act as handler',
    method: 'POST',
    prepare: async () => {
      const id = await file(w.people.residentA, 'building')
      return { url: srApi(w.a.id, `/${id}/transitions`), payload: { action: 'accept' }, requestId: id }
    },
    allowed: ['committeeA', 'workerA'],
    denied: { admin: 403, residentA: 403, neighbourA: 403, ...notOfA },
  },
  {
    name: "act on B's request through A's path",
    method: 'POST',
    prepare: async () => ({
      url: srApi(w.a.id, `/${bRequest}/transitions`),
      payload: { action: 'accept' },
      requestId: bRequest,
    }),
    allowed: [],
    denied: { committeeA: 404, workerA: 404, committeeB: 403 },
  },
]

beforeAll(async () => {
  uploadDir = await mkdtemp(join(tmpdir(), 'linli-sr-authz-'))
  env = await startTestEnv({ SCHEDULER_ENABLED: 'false', UPLOAD_DIR: uploadDir })
  w = await buildWorld(env)
  await contractCompany(env, w.a.id, '授权测试物业')
  for (const c of (await w.people.residentA.inject({ method: 'GET', url: categoriesApi(w.a.id) })).json().items)
    cat[c.name] = c.id
  const bCats = (await w.people.residentB.inject({ method: 'GET', url: categoriesApi(w.b.id) })).json().items
  bCategory = bCats.find((c: { name: string }) => c.name === '公共维修').id
  bRequest = await file(w.people.residentB, 'building', w.b.id, bCategory)
  publicId = await file(w.people.residentA, 'building')
  unitReqId = await file(w.people.residentA, 'unit')
})
afterAll(async () => {
  await env?.close()
  if (uploadDir) await rm(uploadDir, { recursive: true, force: true })
})

describe.each(cases)('$name', (c) => {
  if (c.allowed.length) {
    it.each(c.allowed)('is allowed for %s', async (who) => {
      const p = await c.prepare()
      const res = await call(who, c.method, p.url, p.payload, p.headers)
      expect(res.statusCode, res.body).toBeLessThan(300)
    })
  }
  it.each(Object.entries(c.denied) as [Who, number][])('is refused for %s, changing nothing', async (who, status) => {
    const p = await c.prepare()
    const before = p.requestId ? await eventCount(p.requestId) : 0
    const [row] = p.requestId
      ? await env.db.select().from(serviceRequests).where(eq(serviceRequests.id, p.requestId))
      : []
    const res = await call(who, c.method, p.url, p.payload, p.headers)
    expect(res.statusCode, res.body).toBe(status)
    expect(res.json().error.code).toBe(CODE[status])
    if (p.requestId) {
      expect(await eventCount(p.requestId)).toBe(before)
      const [after] = await env.db.select().from(serviceRequests).where(eq(serviceRequests.id, p.requestId))
      expect(after!.status).toBe(row!.status)
      expect(after!.urgeCount).toBe(row!.urgeCount)
      expect(await env.db.select().from(srFollowers).where(eq(srFollowers.requestId, p.requestId))).toEqual([])
    }
  })
})

describe('another community, seen from its own path', () => {
  it("lets B's committee handle B's request, but never A's through B's path", async () => {
    expect((await w.people.committeeB.inject({ method: 'GET', url: srApi(w.b.id, `/${bRequest}`) })).statusCode).toBe(
      200,
    )
    expect((await w.people.committeeB.inject({ method: 'GET', url: srApi(w.b.id, `/${publicId}`) })).statusCode).toBe(
      404,
    )
    expect(
      (
        await w.people.committeeB.inject({
          method: 'POST',
          url: srApi(w.b.id, `/${publicId}/transitions`),
          payload: { action: 'accept' },
        })
      ).statusCode,
    ).toBe(404)
    expect(
      (await w.people.residentB.inject({ method: 'POST', url: srApi(w.b.id, `/${publicId}/urge`) })).statusCode,
    ).toBe(404)
    expect(await eventCount(publicId)).toBe(1)
  })
})
