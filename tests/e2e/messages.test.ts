import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { and, eq, like } from 'drizzle-orm'
import { inboxMessages, notificationQuotas, outbox, persons, srCategories } from '@linli/bff/db/schema'
import { login, type Session, type TestEnv } from '../helpers/app'
import { unitId } from '../helpers/world'
import { PhoneBrowser } from '../helpers/browser'
import { ARTIFACTS } from '../helpers/run'
import { startDemoWithProperty, type DemoWithProperty } from '../helpers/demo'

/**
 * 消息 and the red dots end to end in Chromium on the H5 build: 刘芳 never accepted a subscribe message; she files
 * a repair request, the property company's stand-in accepts it, WeChat skips the subscribe message, and she still
 * sees the badge on 我的, the message in 消息, taps it, lands on her request, and the badge clears. Then what waits
 * for her (a request to confirm, a vote) and for 陈建国 (an application to review, a request to handle) shows on
 * the tabs and entries that lead there, in normal and in care mode.
 */
let env: TestEnv
let standinUrl: string
let phone: PhoneBrowser
let communityId: number
let requestId: number

/** The badge the tab bar draws on a tab (0 首页, 1 议事, 2 服务, 3 我的), or null. */
async function tabBadge(index: number): Promise<string | null> {
  const badge = phone.page.locator('.weui-tabbar__item').nth(index).locator('.taro-tabbar-badge')
  return (await badge.count()) ? badge.textContent() : null
}

async function pushStatus(status: string, extra: Record<string, unknown> = {}) {
  const res = await fetch(`${standinUrl}/__standin/requests/${requestId}/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status, ...extra }),
  })
  expect(res.status, await res.clone().text()).toBe(200)
}

async function careMode(on: boolean) {
  await phone.page.evaluate(
    (v) =>
      v
        ? localStorage.setItem('linli.careMode', JSON.stringify({ data: 'on' }))
        : localStorage.removeItem('linli.careMode'),
    on,
  )
}

let demo: DemoWithProperty

beforeAll(async () => {
  demo = await startDemoWithProperty()
  ;({ env, standinUrl, communityId } = demo)
  phone = await PhoneBrowser.open(demo.origin, join(ARTIFACTS, 'e2e-messages'), { timezoneId: 'Asia/Shanghai' })
})

afterAll(async () => {
  await phone?.close()
  await demo?.close()
})

describe('a message the resident never subscribed to, found in 消息', () => {
  it('lets 刘芳, who never accepted a subscribe message, file a repair request; nothing waits for her yet', async () => {
    const [liu] = await env.db.select().from(persons).where(eq(persons.openid, 'demo-owner-liu'))
    expect(await env.db.select().from(notificationQuotas).where(eq(notificationQuotas.personId, liu!.id))).toEqual([])

    await phone.loginAs('demo-owner-liu')
    await phone.goto('/pages/me/index')
    await phone.visible('me-messages').waitFor()
    expect(await phone.page.locator('#me-messages-unread:visible').count()).toBe(0)
    expect(await tabBadge(3)).toBeNull()

    await phone.goto('/pages/services/index')
    await phone.visible('services-sr-file').click()
    const [category] = await env.db
      .select()
      .from(srCategories)
      .where(and(eq(srCategories.communityId, communityId), eq(srCategories.name, '户内维修')))
    await phone.visible(`sr-category-${category!.id}`).click()
    await phone.page.locator('#sr-description:visible textarea').fill('卫生间天花板渗水，滴到地上。')
    await phone.visible('sr-attr-part-water').click()
    await expect.poll(() => phone.page.locator('[id^="sr-unit-"].option--selected:visible').count()).toBe(1)
    await phone.visible('sr-submit').click()
    await expect
      .poll(() => phone.visible('sr-result-id').getAttribute('data-request-id'), { timeout: 15_000 })
      .toMatch(/^\d+$/)
    requestId = Number(await phone.visible('sr-result-id').getAttribute('data-request-id'))
  })

  it('shows the badge on 我的 and the message in 消息 after the property company accepts it, though WeChat skipped it', async () => {
    // the stand-in learns of the request through the outbox, then accepts it through its signed webhook
    await expect
      .poll(
        async () =>
          (
            (await fetch(`${standinUrl}/__standin/events`).then((r) => r.json())) as {
              type: string
              data: { requestId: number }
            }[]
          ).some((e) => e.type === 'service_request.created' && Number(e.data.requestId) === requestId),
        { timeout: 15_000, interval: 300 },
      )
      .toBe(true)
    await pushStatus('accepted', { note: '已安排师傅明天上午上门' })
    const [liu] = await env.db.select().from(persons).where(eq(persons.openid, 'demo-owner-liu'))
    await expect
      .poll(
        async () =>
          (
            await env.db
              .select()
              .from(outbox)
              .where(like(outbox.dedupeKey, `notify:sr:${requestId}:%:${liu!.id}`))
          ).map((r) => r.status),
        { timeout: 15_000, interval: 300 },
      )
      .toEqual(['skipped'])

    await phone.goto('/pages/me/index')
    await expect.poll(() => tabBadge(3)).toBe('1')
    await expect.poll(() => phone.visible('me-messages-unread').textContent()).toBe('1')
    await phone.snap('liu-me-badge')

    await phone.visible('me-messages').click()
    const [row] = await env.db.select().from(inboxMessages).where(eq(inboxMessages.personId, liu!.id))
    const item = phone.visible(`msg-${row!.id}`)
    await expect.poll(() => item.getAttribute('data-unread')).toBe('true')
    expect(await item.textContent()).toContain('报事进度：受理')
    expect(await item.textContent()).toContain('「户内维修」报事：已安排师傅明天上午上门。')
    await phone.snap('liu-messages')

    await item.click()
    await expect
      .poll(() => phone.page.evaluate(() => location.hash))
      .toContain(`/packages/services/pages/detail/index?communityId=${communityId}&requestId=${requestId}`)
    await expect.poll(() => phone.visible('sr-detail-state').getAttribute('data-state')).toBe('accepted')
    await phone.snap('liu-request-from-message')
    await expect
      .poll(async () => (await env.db.select().from(inboxMessages).where(eq(inboxMessages.id, row!.id)))[0]!.readAt)
      .not.toBeNull()

    // back on 我的: the dot is gone
    await phone.goto('/pages/me/index')
    await phone.visible('me-messages').waitFor()
    await expect.poll(() => tabBadge(3)).toBeNull()
    expect(await phone.page.locator('#me-messages-unread:visible').count()).toBe(0)
  })

  it('shows a resolved request waiting for her on 服务, and 全部已读 clears 我的', async () => {
    await pushStatus('in_progress', { note: '师傅已到场' })
    await pushStatus('resolved', { note: '已修好漏水的管道' })
    await phone.goto('/pages/services/index')
    await expect.poll(() => tabBadge(2)).toBe('1')
    await expect.poll(() => phone.visible('services-sr-mine-count').textContent()).toBe('1')
    await expect.poll(() => tabBadge(3)).toBe('2')
    await phone.snap('liu-services-waiting')

    await phone.goto('/packages/messages/pages/list/index')
    await phone.visible('msg-waiting-requestsToConfirm').waitFor()
    await expect.poll(() => phone.page.locator('#msg-list:visible [data-unread="true"]').count()).toBe(2)
    await phone.snap('liu-messages-waiting')
    await careMode(true)
    await phone.goto('/packages/messages/pages/list/index')
    await phone.visible('msg-waiting').waitFor()
    expect(await phone.page.locator('.page--care:visible').count()).toBe(1)
    await phone.snap('liu-messages-care')
    await phone.visible('msg-read-all').click()
    await expect.poll(() => phone.page.locator('#msg-list:visible [data-unread="true"]').count()).toBe(0)
    expect(await phone.page.locator('#msg-read-all:visible').count()).toBe(0)
    await phone.goto('/pages/me/index')
    await phone.visible('me-messages').waitFor()
    await expect.poll(() => tabBadge(3)).toBeNull()
    expect(await tabBadge(2)).toBe('1')
    await phone.snap('liu-me-care')
    await careMode(false)
  })
})

describe('what waits for the committee, and for an owner with a vote', () => {
  let chen: Session

  it('shows 陈建国 the application to review, the request to handle and the open vote, where each is done', async () => {
    chen = await login(env, 'demo-committee-chen')
    const li = await login(env, 'demo-resident-li')
    const applied = await li.inject({
      method: 'POST',
      url: '/api/v1/memberships',
      payload: { unitId: await unitId(env, communityId, '1栋', '201'), relation: 'family' },
    })
    expect(applied.statusCode, applied.body).toBe(201)
    const now = Date.now()
    const draft = await chen.inject({
      method: 'POST',
      url: `/api/v1/communities/${communityId}/votes`,
      payload: {
        title: '关于增设电动自行车充电桩的表决',
        noticeText: '拟在2栋北侧增设电动自行车充电桩，费用由公共收益支出。',
        matters: [{ category: 9, text: '增设电动自行车充电桩' }],
        announcedAt: new Date(now - 16 * 86_400_000).toISOString(),
        opensAt: new Date(now - 1000).toISOString(),
        closesAt: new Date(now + 5 * 86_400_000).toISOString(),
      },
    })
    expect(draft.statusCode, draft.body).toBe(201)
    expect(
      (
        await chen.inject({
          method: 'POST',
          url: `/api/v1/communities/${communityId}/votes/${draft.json().id}/publish`,
        })
      ).statusCode,
    ).toBe(200)
    await expect
      .poll(async () => (await chen.inject({ method: 'GET', url: `/api/v1/me/todo` })).json().votes, {
        timeout: 10_000,
      })
      .toBe(1)
    // 刘芳 files a suggestion, which the committee handles itself
    const liu = await login(env, 'demo-owner-liu')
    const [suggestion] = await env.db
      .select()
      .from(srCategories)
      .where(and(eq(srCategories.communityId, communityId), eq(srCategories.name, '建议')))
    const filed = await liu.inject({
      method: 'POST',
      url: `/api/v1/communities/${communityId}/service-requests`,
      payload: {
        categoryId: suggestion!.id,
        description: '建议在小区北门加装一盏路灯，晚上太暗。',
        location: { kind: 'public', detail: '北门' },
        answers: {},
        photoIds: [],
        sharePhone: false,
      },
    })
    expect(filed.statusCode, filed.body).toBe(201)

    await phone.logout()
    await phone.loginAs('demo-committee-chen')
    await phone.goto('/pages/home/index')
    await expect.poll(() => phone.visible('home-messages-unread').textContent()).toBe('1')
    await expect.poll(() => phone.visible('home-committee-waiting').getAttribute('data-count')).toBe('1')
    expect(await tabBadge(1)).toBe('1')
    expect(await tabBadge(2)).toBe('1')
    expect(await tabBadge(3)).toBe('2') // one message, one application
    await phone.snap('chen-home')

    await phone.goto('/pages/me/index')
    await expect.poll(() => phone.visible('me-committee-count').textContent()).toBe('1')
    await phone.snap('chen-me')
    await phone.goto('/pages/deliberation/index')
    await expect.poll(() => phone.visible('deliberation-votes-waiting').getAttribute('data-count')).toBe('1')
    await phone.snap('chen-deliberation')
    await phone.goto('/pages/services/index')
    await expect.poll(() => phone.visible('services-sr-handle-count').textContent()).toBe('1')

    await phone.goto('/packages/messages/pages/list/index')
    await phone.visible('msg-waiting-reviews').waitFor()
    for (const key of ['votes', 'reviews', 'requestsToHandle']) await phone.visible(`msg-waiting-${key}`).waitFor()
    await phone.snap('chen-messages')
    // the review row leads to the applications
    await phone.visible('msg-waiting-reviews').click()
    await expect
      .poll(() => phone.page.evaluate(() => location.hash))
      .toContain('/packages/committee/pages/verifications/index')

    await careMode(true)
    await phone.goto('/pages/home/index')
    await expect.poll(() => phone.visible('home-messages-unread').textContent()).toBe('1')
    await phone.snap('chen-home-care')
    await phone.goto('/packages/messages/pages/list/index')
    await phone.visible('msg-waiting').waitFor()
    await phone.snap('chen-messages-care')
    await phone.goto('/pages/me/index')
    await expect.poll(() => phone.visible('me-committee-count').textContent()).toBe('1')
    await phone.snap('chen-me-care')
    await careMode(false)
  })

  it('takes the badges away on logout', async () => {
    await phone.goto('/pages/me/index')
    await expect.poll(() => tabBadge(3)).toBe('2')
    await phone.visible('me-logout').click()
    await phone.answerModal('confirm') // 退出登录 asks first
    await phone.visible('me-login').waitFor()
    await expect.poll(() => tabBadge(3)).toBeNull()
    expect(await tabBadge(1)).toBeNull()
    expect(await tabBadge(2)).toBeNull()
  })

  it('tells a newcomer there is nothing yet, and offers 重试 when the list cannot load', async () => {
    await phone.loginAs('demo-resident-li')
    await phone.page.route('**/api/v1/me/messages?**', (route) => route.abort('connectionrefused'))
    await phone.goto('/packages/messages/pages/list/index')
    await expect.poll(() => phone.visible('msg-load-error').textContent()).toContain('网络连接失败')
    await phone.snap('li-messages-error')
    await phone.page.unroute('**/api/v1/me/messages?**')
    await phone.visible('msg-load-error-retry').click()
    await phone.visible('msg-empty').waitFor()
    expect(await phone.page.locator('#msg-load-error:visible').count()).toBe(0)
    expect(await phone.page.locator('#msg-waiting:visible').count()).toBe(0)
    await phone.snap('li-messages-empty')
  })
})
