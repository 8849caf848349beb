import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { buildings, serviceRequests, srCategories, srFollowers, photos } from '@linli/bff/db/schema'
import { PHOTO_MAX_BYTES, PHOTO_MAX_SIDE } from '@linli/shared/photos'
import { DEMO_PROPERTY_INTEGRATION_ID, DEMO_PROPERTY_SECRET } from '@linli/bff/db/seed-demo'
import type { StandinEvent } from '@linli/bff/adapters/property/standin'
import { login, type TestEnv } from '../helpers/app'
import { PhoneBrowser } from '../helpers/browser'
import { ARTIFACTS } from '../helpers/run'
import { startDemoWithProperty, type DemoWithProperty } from '../helpers/demo'
import { largeJpeg, png } from '../helpers/images'
import { Webhook } from 'standardwebhooks'

/**
 * 报事报修 end to end in Chromium on the H5 build against a real BFF and the property company's stand-in: a resident
 * (刘芳, verified owner of 1栋 102) files a 户内维修 request with a photo, the stand-in receives
 * service_request.created through the outbox, pushes accepted → in_progress → resolved back through the signed
 * inbound webhook, the resident follows each step on the timeline, confirms and rates; the request is closed and
 * the rating stored.
 */
let env: TestEnv
let bff: FastifyInstance
let standinUrl: string
let phone: PhoneBrowser
let communityId: number
let requestId: number

async function standinEvents(): Promise<StandinEvent[]> {
  const res = await fetch(`${standinUrl}/__standin/events`)
  expect(res.status).toBe(200)
  const body = (await res.json()) as StandinEvent[] | { items?: StandinEvent[]; events?: StandinEvent[] }
  return Array.isArray(body) ? body : (body.items ?? body.events ?? [])
}

async function pushStatus(
  status: string,
  extra: Record<string, unknown> = {},
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${standinUrl}/__standin/requests/${requestId}/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status, ...extra }),
  })
  // the stand-in answers with the BFF's status and body
  const text = await res.text()
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null }
}

const detailPath = () => `/packages/services/pages/detail/index?communityId=${communityId}&requestId=${requestId}`

async function expectDetailState(state: string) {
  await phone.goto(detailPath())
  await expect.poll(() => phone.visible('sr-detail-state').getAttribute('data-state'), { timeout: 10_000 }).toBe(state)
}

let demo: DemoWithProperty

beforeAll(async () => {
  demo = await startDemoWithProperty()
  ;({ env, bff, standinUrl, communityId } = demo)
  phone = await PhoneBrowser.open(demo.origin, join(ARTIFACTS, 'e2e-services'), { timezoneId: 'Asia/Shanghai' })
})

afterAll(async () => {
  await phone?.close()
  await demo?.close()
})

describe('a service request from filing to rating, with the property company on webhooks', () => {
  it('lets a resident file a 户内维修 request with a photo', async () => {
    await phone.loginAs('demo-owner-liu')
    // the 服务 tab links to the subpackage
    await phone.goto('/pages/services/index')
    await phone.visible('services-sr-file').click()
    await phone.visible('sr-categories').waitFor()
    const [category] = await env.db
      .select()
      .from(srCategories)
      .where(and(eq(srCategories.communityId, communityId), eq(srCategories.name, '户内维修')))
    await phone.visible(`sr-category-${category!.id}`).click()
    const sla = phone.visible('sr-category-sla')
    await expect.poll(() => sla.textContent()).toContain('物业服务企业')
    expect(await sla.textContent()).toContain('1小时内受理')
    expect(await sla.textContent()).toContain('受理后2天内处理')

    // the required extra question blocks submitting
    await phone.page.locator('#sr-description:visible textarea').fill('厨房水槽下水管接口漏水，地面有积水。')
    await phone.visible('sr-submit').click()
    await expect.poll(() => phone.visible('sr-attr-part-error').textContent()).toBe('请选择「维修部位」')
    await phone.visible('sr-attr-part-water').click()

    // location: her verified unit (1栋 102) is preselected
    const unit = phone.page.locator('[id^="sr-unit-"].option--selected:visible')
    await expect.poll(() => unit.textContent()).toContain('1栋 102')
    await phone.visible('sr-location-detail').fill('厨房')

    // a photo through Taro.chooseImage's file input
    const [chooser] = await Promise.all([phone.page.waitForEvent('filechooser'), phone.visible('sr-photo-add').click()])
    await chooser.setFiles({ name: 'leak.png', mimeType: 'image/png', buffer: png() })
    await expect.poll(() => phone.visible('sr-photo-0').getAttribute('data-state'), { timeout: 15_000 }).toBe('done')
    expect(await phone.visible('sr-photo-0-progress').textContent()).toBe('已上传')

    await phone.visible('sr-contact-time').fill('工作日18:00后')
    await phone.visible('sr-share-phone').click()
    expect(await phone.visible('sr-share-phone').getAttribute('aria-checked')).toBe('true')
    await phone.snap('resident-form')
    await phone.visible('sr-submit').click()
    await expect
      .poll(() => phone.visible('sr-result-id').getAttribute('data-request-id'), { timeout: 15_000 })
      .toMatch(/^\d+$/)
    requestId = Number(await phone.visible('sr-result-id').getAttribute('data-request-id'))
    await phone.snap('resident-filed')

    const [row] = await env.db.select().from(serviceRequests).where(eq(serviceRequests.id, requestId))
    expect(row).toMatchObject({ status: 'submitted', categoryId: category!.id })
    const attached = await env.db.select().from(photos).where(eq(photos.requestId, requestId))
    expect(attached).toHaveLength(1)
  })

  it('delivers service_request.created to the property company', async () => {
    await expect
      .poll(
        async () =>
          (await standinEvents()).find(
            (e) => e.type === 'service_request.created' && Number(e.data.requestId) === requestId,
          ),
        { timeout: 15_000, interval: 300 },
      )
      .toBeTruthy()
    const created = (await standinEvents()).find(
      (e) => e.type === 'service_request.created' && Number(e.data.requestId) === requestId,
    )!
    expect(JSON.stringify(created.data)).toContain('户内维修')
    // she consented to share her phone: the handler sees it in full
    expect(JSON.stringify(created.data)).toContain('13800000002')
  })

  it('shows each status the property company pushes back on the timeline', async () => {
    await expectDetailState('submitted')
    expect(
      await phone.page.locator('#sr-detail-photos:visible img, #sr-detail-photos:visible .photo').count(),
    ).toBeGreaterThan(0)
    // before acceptance she may still cancel; urging works once, then the cooldown is explained
    await phone.visible('sr-cancel').waitFor()
    await phone.visible('sr-urge').click()
    await expect.poll(() => phone.visible('sr-action-result').textContent()).toContain('已催办')
    await phone.visible('sr-urge').click()
    await expect.poll(() => phone.visible('sr-action-error').textContent()).toMatch(/您刚催办过.*后再催办/)
    await phone.snap('resident-urge-too-soon')

    const steps: [string, string, Record<string, unknown>][] = [
      ['accepted', '已受理', { note: '已收到，安排师傅上门', handler: { name: '王师傅', phone: '13900000009' } }],
      ['in_progress', '处理中', { note: '师傅已到场维修' }],
      ['resolved', '已解决待确认', { note: '已更换接口密封圈' }],
    ]
    for (const [status, label, extra] of steps) {
      const res = await pushStatus(status, extra)
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      await expectDetailState(status)
      expect(await phone.visible('sr-detail-state').textContent()).toBe(label)
      const item = phone.page.locator(`#sr-timeline:visible [data-status="${status}"]`)
      await expect.poll(() => item.count()).toBeGreaterThan(0)
      expect(await item.last().textContent()).toContain(String(extra.note))
      expect(await item.last().textContent()).toContain('物业')
      await phone.snap(`resident-${status}`)
    }
    // every step is on the timeline: filed, urged, accepted, in progress, resolved
    const statuses = await phone.page
      .locator('#sr-timeline:visible .timeline__item')
      .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-action')}:${e.getAttribute('data-status')}`))
    expect(statuses[0]).toBe('file:submitted')
    expect(statuses).toEqual(expect.arrayContaining(['accept:accepted', 'start:in_progress', 'resolve:resolved']))
    expect(await phone.visible('sr-detail-assignee').textContent()).toContain('王师傅')
    // resolved: she may confirm or reopen, no longer cancel
    expect(await phone.page.locator('#sr-cancel:visible').count()).toBe(0)
    await phone.visible('sr-reopen').waitFor()
  })

  it('lets her confirm and rate; the request is closed and the rating stored', async () => {
    await phone.visible('sr-confirm').click()
    await phone.visible('rate-overall-5').click()
    await phone.visible('rate-speed-4').click()
    await phone.visible('rate-submit').click()
    await expect.poll(() => phone.visible('rate-error').textContent()).toContain('服务态度')
    await phone.visible('rate-attitude-5').click()
    await phone.page.locator('#rate-text:visible textarea').fill('师傅很专业，处理及时')
    await phone.snap('resident-rate')
    await phone.visible('rate-submit').click()
    await expect
      .poll(() => phone.visible('sr-detail-state').getAttribute('data-state'), { timeout: 10_000 })
      .toBe('closed')
    expect(await phone.visible('sr-rating-overall').getAttribute('data-value')).toBe('5')
    await phone.snap('resident-closed')

    const [row] = await env.db.select().from(serviceRequests).where(eq(serviceRequests.id, requestId))
    expect(row).toMatchObject({
      status: 'closed',
      ratingOverall: 5,
      ratingSpeed: 4,
      ratingAttitude: 5,
      ratingText: '师傅很专业，处理及时',
    })
    // the property company hears about the rating too
    await expect
      .poll(
        async () =>
          (await standinEvents()).some(
            (e) => e.type === 'service_request.rated' && Number(e.data.requestId) === requestId,
          ),
        { timeout: 15_000, interval: 300 },
      )
      .toBe(true)

    // and the request is in her list, closed
    await phone.goto(`/packages/services/pages/mine/index?communityId=${communityId}`)
    await expect.poll(() => phone.visible(`sr-mine-item-${requestId}-state`).getAttribute('data-state')).toBe('closed')
    await phone.snap('resident-mine')
  })

  it('shows the service figures, and the committee their inbox pages', async () => {
    await phone.goto(`/packages/services/pages/figures/index?communityId=${communityId}`)
    await expect
      .poll(() => phone.visible('sr-figures-community-requests').textContent())
      .toContain('1（已受理 1，已处理 1）')
    expect(await phone.visible('sr-figures-community-rating-overall-value').textContent()).toBe('5.00 分')
    expect(await phone.visible('sr-figures-company-card').textContent()).toContain('示例物业服务有限公司')
    await phone.snap('figures')
    await phone.logout()

    await phone.loginAs('demo-committee-chen')
    await phone.goto('/pages/services/index')
    await phone.visible('services-sr-handle').click()
    await phone.visible('sr-escalations').waitFor()
    await phone.visible('sr-todo').waitFor()
    await phone.snap('committee-inbox')
    // a committee member may read the request (full view) but it is the property company's to handle
    await phone.goto(detailPath())
    await expect.poll(() => phone.visible('sr-detail-state').getAttribute('data-state')).toBe('closed')
    expect(await phone.page.locator('#sr-actions:visible, #sr-handle:visible').count()).toBe(0)
  })

  it('shows residents the notices the property company publishes through its webhook', async () => {
    // signed as the property company's system would, with the reference library (not our code)
    const wh = new Webhook(DEMO_PROPERTY_SECRET)
    const msgId = `msg_e2e_notice_${Date.now()}`
    const body = JSON.stringify({
      type: 'notice.published',
      timestamp: new Date().toISOString(),
      data: { title: '停水通知', body: '因管道检修，本周六 9:00–12:00 1栋停水，请提前储水。' },
    })
    const at = new Date()
    const headers = {
      'content-type': 'application/json',
      'webhook-id': msgId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': wh.sign(msgId, at, body),
    }
    const res = await fetch(`${phone.origin}/webhooks/property/${DEMO_PROPERTY_INTEGRATION_ID}`, {
      method: 'POST',
      headers,
      body,
    })
    expect(res.status).toBe(200)
    await phone.logout()
    await phone.loginAs('demo-owner-liu')
    await phone.goto('/pages/home/index')
    await expect.poll(() => phone.visible('home-notices').textContent()).toContain('停水通知')
    expect(await phone.visible('home-notices').textContent()).toContain('示例物业服务有限公司')
    await phone.snap('resident-notice')
  })
})

/** Width and height from a JPEG's frame header (SOF0–SOF15 but DHT, JPG, DAC). */
function jpegSize(buf: Buffer): { width: number; height: number } {
  let pos = 2
  while (pos + 9 < buf.length) {
    if (buf[pos] !== 0xff) throw new Error(`not a JPEG marker at ${pos}`)
    const marker = buf[pos + 1]!
    const len = buf.readUInt16BE(pos + 2)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: buf.readUInt16BE(pos + 5), width: buf.readUInt16BE(pos + 7) }
    pos += 2 + len
  }
  throw new Error('no frame header')
}

describe('a large phone photo, and the neighbours who already reported the same problem', () => {
  let category: number
  let building1: number
  let building2: number
  let sameBuilding: number
  let otherBuilding: number
  const long = `1栋2单元门口的路灯从上周起一直不亮，晚上进出单元门完全看不清台阶。${'老人晚上下楼倒垃圾很不方便，已经有人差点摔倒。'.repeat(30)}`

  beforeAll(async () => {
    const find = async (name: string) =>
      (
        await env.db
          .select()
          .from(buildings)
          .where(and(eq(buildings.communityId, communityId), eq(buildings.name, name)))
      )[0]!.id
    building1 = await find('1栋')
    building2 = await find('2栋')
    category = (
      await env.db
        .select({ id: srCategories.id })
        .from(srCategories)
        .where(and(eq(srCategories.communityId, communityId), eq(srCategories.name, '公共维修')))
    )[0]!.id
    // 周强 (1栋 103) reported the lamp at 1栋 with a very long description; someone else a lamp at 2栋
    const zhou = await login(env, 'demo-owner-zhou', bff)
    const file = async (buildingId: number, description: string) => {
      const res = await zhou.inject({
        method: 'POST',
        url: `/api/v1/communities/${communityId}/service-requests`,
        payload: {
          categoryId: category,
          description,
          location: { kind: 'building', buildingId },
          answers: { facility: 'lighting' },
          photoIds: [],
          sharePhone: false,
        },
      })
      expect(res.statusCode, res.body).toBe(201)
      return res.json().id as number
    }
    sameBuilding = await file(building1, long)
    otherBuilding = await file(building2, '2栋地下车库入口的灯坏了，很暗')
  })

  it('compresses a several-MB camera photo in the browser; it reaches the BFF under the limit and is attached; the hint shows a short summary of the open request at the same building only', async () => {
    await phone.logout()
    await phone.loginAs('demo-owner-liu')
    await phone.goto('/pages/services/index')
    await phone.visible('services-sr-file').click()
    await phone.visible(`sr-category-${category}`).click()
    await phone.visible('sr-attr-facility-lighting').click()
    await phone.page.locator('#sr-description:visible textarea').fill('1栋2单元门口路灯不亮，晚上看不清台阶。')

    // leaving the half-filled form asks first; staying keeps what was written
    await phone.page.goBack()
    await phone.answerModal('cancel')
    expect(await phone.page.locator('#sr-description:visible textarea').inputValue()).toBe(
      '1栋2单元门口路灯不亮，晚上看不清台阶。',
    )

    await phone.visible('sr-location-building').click()
    await phone.visible(`sr-building-${building1}`).click()
    expect(await phone.visible('sr-photo-limit').textContent()).toContain('每张不超过 5 MB')

    const original = await largeJpeg(phone.context)
    expect(original.length).toBeGreaterThan(PHOTO_MAX_BYTES)
    const [chooser] = await Promise.all([phone.page.waitForEvent('filechooser'), phone.visible('sr-photo-add').click()])
    await chooser.setFiles({ name: 'IMG_20261203_081502.jpg', mimeType: 'image/jpeg', buffer: original })
    await expect.poll(() => phone.visible('sr-photo-0').getAttribute('data-state'), { timeout: 30_000 }).toBe('done')
    expect(await phone.visible('sr-photo-0-progress').textContent()).toBe('已上传')
    const sent = Number(await phone.visible('sr-photo-0').getAttribute('data-bytes'))
    expect(sent).toBeGreaterThan(0)
    expect(sent).toBeLessThan(PHOTO_MAX_BYTES)
    expect(sent).toBeLessThan(original.length / 5)
    const photoId = Number(await phone.visible('sr-photo-0').getAttribute('data-photo-id'))
    const [stored] = await env.db.select().from(photos).where(eq(photos.id, photoId))
    expect(stored).toMatchObject({ contentType: 'image/jpeg', bytes: sent })
    const size = jpegSize((await bff.storage.get(stored!.storageKey))!)
    expect(Math.max(size.width, size.height)).toBe(PHOTO_MAX_SIDE)
    expect(size.width / size.height).toBeCloseTo(4000 / 3000, 2)
    await phone.snap('resident-large-photo')

    // before filing: the open request at 1栋 in a short summary, not the one at 2栋
    await phone.visible('sr-submit').click()
    await phone.visible('sr-similar').waitFor()
    await phone.visible(`sr-similar-${sameBuilding}`).waitFor()
    expect(await phone.page.locator(`#sr-similar-${otherBuilding}:visible`).count()).toBe(0)
    const summary = (await phone.visible(`sr-similar-${sameBuilding}-summary`).textContent())!
    expect(Array.from(summary).length).toBeLessThanOrEqual(40)
    expect(summary.endsWith('…')).toBe(true)
    expect(long.startsWith(summary.slice(0, -1))).toBe(true)
    expect(await phone.visible('sr-similar').textContent()).not.toContain(long.slice(60, 90))
    await phone.visible(`sr-similar-${sameBuilding}-metoo`).waitFor()
    await phone.snap('resident-similar-hint')

    // not the same problem after all: filed, with the compressed photo attached
    await phone.visible('sr-submit-anyway').click()
    await expect
      .poll(() => phone.visible('sr-result-id').getAttribute('data-request-id'), { timeout: 15_000 })
      .toMatch(/^\d+$/)
    const filedId = Number(await phone.visible('sr-result-id').getAttribute('data-request-id'))
    // the one date format: word joiners after the hyphens, a no-break space before the time (never wrapped)
    expect(await phone.visible('sr-result-id').textContent()).toMatch(
      /应在 \d{4}-\u2060\d{2}-\u2060\d{2}\u00a0\d{2}:\d{2} 前受理/,
    )
    const attached = await env.db.select().from(photos).where(eq(photos.requestId, filedId))
    expect(attached.map((p) => p.id)).toEqual([photoId])
  })

  it('lets a neighbour say 我也遇到了 on the board, but not the committee member who handles the request', async () => {
    await phone.goto(`/packages/services/pages/board/index?communityId=${communityId}&buildingId=${building1}`)
    await phone.visible(`sr-board-item-${sameBuilding}-metoo`).click()
    await expect.poll(() => phone.visible(`sr-board-item-${sameBuilding}-metoo`).textContent()).toContain('已关注')
    const liu = await env.db.select().from(srFollowers).where(eq(srFollowers.requestId, sameBuilding))
    expect(liu).toHaveLength(1)

    await phone.logout()
    await phone.loginAs('demo-committee-chen')
    await phone.goto(`/packages/services/pages/board/index?communityId=${communityId}&buildingId=${building1}`)
    await phone.visible(`sr-board-item-${sameBuilding}`).waitFor()
    expect(await phone.page.locator(`#sr-board-item-${sameBuilding}-metoo:visible`).count()).toBe(0)
    await phone.snap('committee-board')
    await phone.goto(`/packages/services/pages/detail/index?communityId=${communityId}&requestId=${sameBuilding}`)
    await phone.visible('sr-handle').waitFor()
    expect(await phone.page.locator('#sr-follow:visible').count()).toBe(0)
    await phone.snap('committee-detail-handles')
  })
})
