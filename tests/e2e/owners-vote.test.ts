import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { and, desc, eq, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import {
  auditEvents,
  communities,
  memberships,
  notificationQuotas,
  persons,
  voteProxies,
  votes,
} from '@linli/bff/db/schema'
import { seedDemo } from '@linli/bff/db/seed-demo'
import { verifyVote } from '@linli/bff/modules/voting/verify'
import { startTestEnv, TEST_APPID, type TestEnv } from '../helpers/app'
import { H5_DIST, PhoneBrowser } from '../helpers/browser'
import { png } from '../helpers/images'
import { ARTIFACTS } from '../helpers/run'

/**
 * 业主大会电子表决 end to end in Chromium on the H5 build against a real BFF: the committee drafts a vote and
 * publishes it with less than the legal notice through the law-naming confirmation, an owner appoints a proxy
 * with a photo of the signed authorisation (and withdraws it), three owners read the notice and vote and keep
 * their receipts, the vote closes, the results and the receipts show; a family member sees rooms, not choices.
 */
const TZ = 'Asia/Shanghai'

let env: TestEnv
let bff: FastifyInstance
let phone: PhoneBrowser
let communityId: number
let voteId: number
let matterIds: number[] = []
const receipts: Record<string, string> = {}
const SHORT_NOTICE_REASON = '3号楼电梯停运，维修方案须尽快表决'

/** `YYYY-MM-DD HH:mm` in the phone's time zone, as the committee form takes it. */
function local(d: Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: TZ,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  )
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
}

beforeAll(async () => {
  env = await startTestEnv({ SCHEDULER_POLL_MS: '300' })
  await seedDemo(env.db, env.protector, TEST_APPID)
  const [c] = await env.db.select().from(communities).where(eq(communities.name, '阳光花园'))
  communityId = c!.id
  // this community's rules let the committee close early, so the test need not wait for the end time
  await env.db
    .update(communities)
    .set({ settings: { ...(c!.settings as object), earlyCloseAllowed: true } })
    .where(eq(communities.id, communityId))
  bff = await env.newApp({ DEMO_MODE: 'true', H5_DIST_DIR: H5_DIST, SCHEDULER_POLL_MS: '300' })
  await bff.listen({ host: '127.0.0.1', port: 0 })
  phone = await PhoneBrowser.open(
    `http://127.0.0.1:${(bff.server.address() as AddressInfo).port}`,
    join(ARTIFACTS, 'e2e-voting'),
    { timezoneId: TZ },
  )
})

afterAll(async () => {
  await phone?.close()
  await env?.close()
})

describe("an owners' assembly vote from draft to results", () => {
  it('lets the committee draft a vote and publish it with short notice only through the confirmation, showing the fingerprints', async () => {
    await phone.loginAs('demo-committee-chen')
    await phone.goto(`/packages/voting/pages/manage/index?communityId=${communityId}`)
    await phone.visible('manage-create').click()
    await phone.visible('manage-title').fill('关于续聘物业服务企业的表决')
    await phone.page
      .locator('#manage-notice:visible textarea')
      .fill('根据《业主大会议事规则》，现就续聘物业服务企业征求全体业主意见。')
    await phone.visible('manage-matter-0-category').click()
    await phone.visible('manage-matter-0-category-4').click()
    await phone.visible('manage-matter-0-text').fill('续聘示例物业服务有限公司，合同期三年')
    const now = Date.now()
    // announced now and open at once: no notice at all, against the 15 days the law asks
    await phone.visible('manage-announced-at').fill(local(new Date(now - 120_000)))
    await phone.visible('manage-opens-at').fill(local(new Date(now - 60_000)))
    await phone.visible('manage-closes-at').fill(local(new Date(now + 86_400_000)))
    expect(await phone.visible('manage-notice-warning').textContent()).toContain('第二十二条')
    await phone.snap('committee-draft')
    await phone.visible('manage-save').click()
    await expect
      .poll(async () => (await env.db.select().from(votes).orderBy(desc(votes.id)).limit(1))[0]?.state)
      .toBe('draft')
    const [draft] = await env.db.select().from(votes).orderBy(desc(votes.id)).limit(1)
    voteId = draft!.id
    await phone.visible(`manage-publish-${voteId}`).click()
    // the publish screen names the law and asks for an explicit confirmation and a reason
    const warning = phone.visible('manage-short-notice-warning')
    expect(await warning.textContent()).toContain(
      '《物业管理条例》第十四条、《业主大会和业主委员会指导规则》第二十二条',
    )
    expect(await warning.textContent()).toContain('只有 0 天')
    await phone.visible('manage-confirm').click()
    await expect.poll(() => phone.visible('manage-panel-error').textContent()).toContain('请先确认')
    await phone.visible('manage-short-notice-confirm').click()
    await phone.visible('manage-confirm').click()
    await expect.poll(() => phone.visible('manage-panel-error').textContent()).toContain('请填写原因')
    expect((await env.db.select().from(votes).where(eq(votes.id, voteId)))[0]!.state).toBe('draft')
    await phone.page.locator('#manage-short-notice-reason:visible textarea').fill(SHORT_NOTICE_REASON)
    await phone.snap('committee-short-notice')
    await phone.visible('manage-confirm').click()
    await expect
      .poll(() => phone.visible('manage-fingerprint-roll').getAttribute('data-full'))
      .toMatch(/^[0-9a-f]{64}$/)
    // the confirmation and the reason are in the vote's hash-chained log, with who confirmed
    const [event] = await env.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.stream, `vote:${voteId}`), eq(auditEvents.action, 'vote.published')))
    const data = (typeof event!.data === 'string' ? JSON.parse(event!.data) : event!.data) as {
      notice: { shortNotice: { confirmed: boolean; reason: string; law: string } }
    }
    expect(data.notice.shortNotice).toMatchObject({ confirmed: true, reason: SHORT_NOTICE_REASON })
    expect(data.notice.shortNotice.law).toContain('第二十二条')
    const [published] = await env.db.select().from(votes).where(eq(votes.id, voteId))
    expect(await phone.visible('manage-fingerprint-roll').getAttribute('data-full')).toBe(published!.rollFingerprint)
    await phone.snap('committee-published')
    // the scheduler opens it (opensAt has passed)
    await expect
      .poll(async () => (await env.db.select().from(votes).where(eq(votes.id, voteId)))[0]!.state, { timeout: 10_000 })
      .toBe('open')
    await phone.logout()
  })

  it('lets an owner appoint a proxy with a photo of the signed authorisation, which the committee sees, then withdraw it', async () => {
    await phone.loginAs('demo-owner-zhou')
    await phone.goto(`/packages/voting/pages/detail/index?communityId=${communityId}&voteId=${voteId}`)
    await phone.visible('proxy-grant').click()
    await phone.visible('proxy-name').fill('周小强')
    await phone.visible('proxy-phone').fill('13912345678')
    // the signed paper, photographed: no typed text needed
    const [chooser] = await Promise.all([
      phone.page.waitForEvent('filechooser'),
      phone.visible('proxy-photo-add').click(),
    ])
    await chooser.setFiles({ name: 'weituoshu.png', mimeType: 'image/png', buffer: png() })
    await expect.poll(() => phone.visible('proxy-photo-0').getAttribute('data-state'), { timeout: 15_000 }).toBe('done')
    await phone.snap('owner-proxy-form')
    await phone.visible('proxy-submit').click()
    await expect.poll(() => phone.visible('proxy-result').textContent()).toContain('已委托 周小强')
    const [proxy] = await env.db.select().from(voteProxies).where(eq(voteProxies.voteId, voteId))
    expect(proxy).toMatchObject({ proxyName: '周小强', authorizationText: null, state: 'active' })
    await phone.logout()

    // the committee checks the signature on the photo
    await phone.loginAs('demo-committee-chen')
    await phone.goto(`/packages/voting/pages/manage/index?communityId=${communityId}`)
    await phone.visible(`manage-details-${voteId}`).click()
    const thumb = phone.page.locator(`#manage-proxy-${proxy!.id}-photos:visible img`)
    await expect.poll(() => thumb.count()).toBe(1)
    // the image really loads through its signed link
    await expect
      .poll(() => thumb.first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), {
        timeout: 10_000,
      })
      .toBe(24)
    await thumb.first().scrollIntoViewIfNeeded()
    await phone.snap('committee-proxy-photo')
    await phone.logout()

    // the owner decides to vote himself after all
    await phone.loginAs('demo-owner-zhou')
    await phone.goto(`/packages/voting/pages/detail/index?communityId=${communityId}&voteId=${voteId}`)
    await phone.visible(`proxy-withdraw-${proxy!.id}`).click()
    await phone.visible('proxy-withdraw-confirm').click()
    await expect
      .poll(async () => (await env.db.select().from(voteProxies).where(eq(voteProxies.id, proxy!.id)))[0]!.state)
      .toBe('revoked')
    await phone.logout()
  })

  it('lets three owners vote, each confirming and keeping a receipt', async () => {
    const plan: [string, 'yes' | 'no' | 'abstain'][] = [
      ['demo-owner-liu', 'yes'],
      ['demo-owner-zhou', 'no'],
      ['demo-committee-chen', 'yes'],
    ]
    for (const [openid, choice] of plan) {
      await phone.loginAs(openid)
      await phone.goto(`/packages/voting/pages/detail/index?communityId=${communityId}&voteId=${voteId}`)
      await phone.visible('vote-title').waitFor()
      if (openid === 'demo-owner-liu') {
        // the notice was short: voters see by how many days, the law and the committee's reason
        const short = phone.visible('vote-notice-short-days')
        expect(await short.getAttribute('data-short-by')).toBe('15')
        expect(await short.textContent()).toContain('比法定的 15 天少 15 天')
        expect(await phone.visible('vote-notice-short-reason').textContent()).toBe(
          `业委会说明的原因：${SHORT_NOTICE_REASON}`,
        )
        await phone.snap('owner-vote-page')
      }
      if (matterIds.length === 0) {
        const ids = await phone.page
          .locator('[id^="vote-matter-"][id$="-rule"]:visible')
          .evaluateAll((els) => els.map((e) => Number(e.id.split('-')[2])))
        matterIds = ids
      }
      expect(matterIds).toHaveLength(1)
      expect(await phone.visible(`vote-matter-${matterIds[0]}-rule`).getAttribute('data-threshold')).toBe('majority')
      if (openid === 'demo-owner-zhou') {
        // asks for a reminder first: the acceptance is counted by the BFF (one message per acceptance)
        await phone.visible('vote-remind-me').click()
        await expect.poll(() => phone.visible('vote-remind-result').textContent()).toContain('截止前会提醒您一次')
        const [quota] = await env.db
          .select()
          .from(notificationQuotas)
          .innerJoin(persons, eq(persons.id, notificationQuotas.personId))
          .where(eq(persons.openid, openid))
        expect(quota!.notification_quotas).toMatchObject({ templateKey: 'vote_reminder', remaining: 1 })
      }
      const voteButton = phone.page.locator('[id^="vote-entry-"][id$="-vote"]:visible')
      if (await voteButton.count()) await voteButton.first().click()
      await phone.visible(`vote-choice-${matterIds[0]}-${choice}`).click()
      // what is being decided comes first: the notice text and each matter with its rule, the ballot after them
      const order = await phone.page.evaluate(() => {
        const at = (id: string) =>
          Array.from(document.querySelectorAll(`#${id}`)).find((e) => (e as HTMLElement).offsetParent !== null)!
        const before = (a: string, b: string) =>
          Boolean(at(a).compareDocumentPosition(at(b)) & Node.DOCUMENT_POSITION_FOLLOWING)
        return { notice: before('vote-notice', 'vote-ballot'), matters: before('vote-matters', 'vote-ballot') }
      })
      expect(order).toEqual({ notice: true, matters: true })
      await phone.visible('vote-submit').click()
      await phone.visible('vote-final-warning').waitFor()
      // before confirming, the owner is told who will see the choices (the vote's rule, by default the owners)
      expect(await phone.visible('vote-visibility').textContent()).toContain('您的选择将对本次表决的业主可见')
      if (openid === 'demo-owner-liu') await phone.snap('owner-confirm')
      await phone.visible('vote-confirm').click()
      await expect.poll(() => phone.visible('vote-receipt').getAttribute('data-receipt')).toMatch(/^[0-9A-F]{8,}$/)
      receipts[openid] = (await phone.visible('vote-receipt').getAttribute('data-receipt'))!
      if (openid === 'demo-owner-liu') await phone.snap('owner-receipt')
      await phone.logout()
    }
    expect(new Set(Object.values(receipts)).size).toBe(3)
  })

  it('closes the vote and announces the results', async () => {
    await phone.loginAs('demo-committee-chen')
    await phone.goto(`/packages/voting/pages/manage/index?communityId=${communityId}`)
    await phone.visible(`manage-close-${voteId}`).click()
    await phone.visible('manage-confirm').click()
    await expect
      .poll(async () => (await env.db.select().from(votes).where(eq(votes.id, voteId)))[0]!.state)
      .toBe('closed')
    await phone.goto(`/packages/voting/pages/manage/index?communityId=${communityId}`)
    await phone.visible(`manage-announce-${voteId}`).click()
    await phone.visible('manage-confirm').click()
    await expect
      .poll(async () => (await env.db.select().from(votes).where(eq(votes.id, voteId)))[0]!.state)
      .toBe('announced')
    await phone.logout()
  })

  it('shows every owner the decision, the public list of ballots, and that their ballot counted', async () => {
    await phone.loginAs('demo-owner-liu')
    await phone.goto(`/packages/voting/pages/results/index?communityId=${communityId}&voteId=${voteId}`)
    const decision = phone.visible(`result-matter-${matterIds[0]}-decision`)
    await decision.waitFor()
    // 3 of the community's owners took part: far below two thirds, so the matter has no quorum
    expect(await decision.getAttribute('data-decision')).toBe('no_quorum')
    expect(await decision.textContent()).toBe('未达法定参与人数')
    expect(await phone.visible(`result-matter-${matterIds[0]}-quorum-owners`).getAttribute('data-met')).toBe('false')
    for (const receipt of Object.values(receipts)) await phone.visible(`result-ballot-${receipt}`).waitFor()
    expect(await phone.visible(`result-ballot-${receipts['demo-owner-liu']}`).textContent()).toContain('1栋 102')
    expect(await phone.visible(`result-ballot-${receipts['demo-owner-liu']}`).getAttribute('data-mine')).toBe('true')
    expect(await phone.visible('receipt-check-input').inputValue()).toBe(receipts['demo-owner-liu'])
    await phone.visible('receipt-check-submit').click()
    await expect.poll(() => phone.visible('receipt-check-result').getAttribute('data-counted')).toBe('true')
    await phone.snap('results')
    // an owner of the vote sees how each flat voted (signed ballots are open to owners' inspection)
    expect(await phone.visible(`result-ballot-${receipts['demo-owner-zhou']}`).textContent()).toContain('第1项 反对')
    // and the record verifies: the chain is intact and a recount equals the announced tally
    expect(await verifyVote(env.db, voteId)).toMatchObject({ chain: { ok: true }, recountMatches: true })
    await phone.logout()
  })

  it('shows a family member the rooms and receipts, and not how each flat voted', async () => {
    // 李明 lives with 刘芳 in 1栋 102 as a family member (verified by the committee)
    const [li] = await env.db.select().from(persons).where(eq(persons.openid, 'demo-resident-li'))
    const [unit] = (await env.db.execute(
      sql`SELECT u.id FROM units u JOIN buildings b ON b.id = u.building_id WHERE b.community_id = ${communityId} AND b.name = '1栋' AND u.number = '102'`,
    )) as unknown as [[{ id: number }]]
    await env.db.insert(memberships).values({
      personId: li!.id,
      unitId: unit[0]!.id,
      communityId,
      relation: 'family',
      state: 'verified',
      method: 'committee_review',
      reviewedAt: new Date(),
    })
    await phone.loginAs('demo-resident-li')
    await phone.goto(`/packages/voting/pages/results/index?communityId=${communityId}&voteId=${voteId}`)
    const row = phone.visible(`result-ballot-${receipts['demo-owner-liu']}`)
    await row.waitFor()
    expect(await row.textContent()).toContain('1栋 102')
    expect(await row.textContent()).toContain('各户的选择仅本次表决的业主可以查看')
    expect(await row.textContent()).not.toContain('同意')
    expect(await phone.visible('result-ballots-rule').getAttribute('data-visibility')).toBe('owners')
    // a mistyped receipt is explained, and the explanation goes as soon as the code is typed again
    await phone.visible('receipt-check-input').fill('3FA9C')
    await phone.visible('receipt-check-submit').click()
    expect(await phone.visible('receipt-check-error').textContent()).toContain('回执码是 8 位字母和数字')
    await phone.visible('receipt-check-input').fill(receipts['demo-owner-liu']!)
    await expect.poll(() => phone.visible('receipt-check-error').count()).toBe(0)
    await phone.visible('receipt-check-submit').click()
    await expect.poll(() => phone.visible('receipt-check-result').getAttribute('data-counted')).toBe('true')
    expect(await phone.visible('receipt-check-ballot').getAttribute('data-choices')).toBe('hidden')
    await phone.snap('family-results')
  })
})
