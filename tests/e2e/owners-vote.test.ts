import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { desc, eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { communities, notificationQuotas, persons, voteProxies, votes } from '@linli/bff/db/schema'
import { seedDemo } from '@linli/bff/db/seed-demo'
import { verifyVote } from '@linli/bff/modules/voting/verify'
import { startTestEnv, TEST_APPID, type TestEnv } from '../helpers/app'
import { H5_DIST, PhoneBrowser } from '../helpers/browser'
import { png } from '../helpers/images'
import { ARTIFACTS } from '../helpers/run'

/**
 * 业主大会电子表决 end to end in Chromium on the H5 build against a real BFF: the committee drafts and publishes a
 * vote, an owner appoints a proxy with a photo of the signed authorisation (and withdraws it), three owners vote
 * and keep their receipts, the vote closes, the results and the receipts show.
 */
const TZ = 'Asia/Shanghai'

let env: TestEnv
let bff: FastifyInstance
let phone: PhoneBrowser
let communityId: number
let voteId: number
let matterIds: number[] = []
const receipts: Record<string, string> = {}

/** `YYYY-MM-DD HH:mm` in the phone's time zone, as the committee form takes it. */
function local(d: Date): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d).map((x) => [x.type, x.value]))
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
}

beforeAll(async () => {
  env = await startTestEnv({ SCHEDULER_POLL_MS: '300' })
  await seedDemo(env.db, env.protector, TEST_APPID)
  const [c] = await env.db.select().from(communities).where(eq(communities.name, '阳光花园'))
  communityId = c!.id
  // this community's rules let the committee close early, so the test need not wait for the end time
  await env.db.update(communities).set({ settings: { ...(c!.settings as object), earlyCloseAllowed: true } }).where(eq(communities.id, communityId))
  bff = await env.newApp({ DEMO_MODE: 'true', H5_DIST_DIR: H5_DIST, SCHEDULER_POLL_MS: '300' })
  await bff.listen({ host: '127.0.0.1', port: 0 })
  phone = await PhoneBrowser.open(`http://127.0.0.1:${(bff.server.address() as AddressInfo).port}`, join(ARTIFACTS, 'e2e-voting'), { timezoneId: TZ })
})

afterAll(async () => {
  await phone?.close()
  await env?.close()
})

describe("an owners' assembly vote from draft to results", () => {
  it('lets the committee draft and publish a vote, showing the fingerprints', async () => {
    await phone.loginAs('demo-committee-chen')
    await phone.goto(`/packages/voting/pages/manage/index?communityId=${communityId}`)
    await phone.visible('manage-create').click()
    await phone.visible('manage-title').fill('关于续聘物业服务企业的表决')
    await phone.page.locator('#manage-notice:visible textarea').fill('根据《业主大会议事规则》，现就续聘物业服务企业征求全体业主意见。')
    await phone.visible('manage-matter-0-category').click()
    await phone.visible('manage-matter-0-category-4').click()
    await phone.visible('manage-matter-0-text').fill('续聘示例物业服务有限公司，合同期三年')
    const now = Date.now()
    await phone.visible('manage-announced-at').fill(local(new Date(now - 16 * 86_400_000)))
    await phone.visible('manage-opens-at').fill(local(new Date(now - 60_000)))
    await phone.visible('manage-closes-at').fill(local(new Date(now + 86_400_000)))
    await phone.snap('committee-draft')
    await phone.visible('manage-save').click()
    await expect.poll(async () => (await env.db.select().from(votes).orderBy(desc(votes.id)).limit(1))[0]?.state).toBe('draft')
    const [draft] = await env.db.select().from(votes).orderBy(desc(votes.id)).limit(1)
    voteId = draft!.id
    await phone.visible(`manage-publish-${voteId}`).click()
    await phone.visible('manage-confirm').click()
    await expect.poll(() => phone.visible('manage-fingerprint-roll').getAttribute('data-full')).toMatch(/^[0-9a-f]{64}$/)
    const [published] = await env.db.select().from(votes).where(eq(votes.id, voteId))
    expect(await phone.visible('manage-fingerprint-roll').getAttribute('data-full')).toBe(published!.rollFingerprint)
    await phone.snap('committee-published')
    // the scheduler opens it (opensAt has passed)
    await expect.poll(async () => (await env.db.select().from(votes).where(eq(votes.id, voteId)))[0]!.state, { timeout: 10_000 }).toBe('open')
    await phone.logout()
  })

  it('lets an owner appoint a proxy with a photo of the signed authorisation, which the committee sees, then withdraw it', async () => {
    await phone.loginAs('demo-owner-zhou')
    await phone.goto(`/packages/voting/pages/detail/index?communityId=${communityId}&voteId=${voteId}`)
    await phone.visible('proxy-grant').click()
    await phone.visible('proxy-name').fill('周小强')
    await phone.visible('proxy-phone').fill('13912345678')
    // the signed paper, photographed: no typed text needed
    const [chooser] = await Promise.all([phone.page.waitForEvent('filechooser'), phone.visible('proxy-photo-add').click()])
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
    await expect.poll(() => thumb.first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBe(24)
    await thumb.first().scrollIntoViewIfNeeded()
    await phone.snap('committee-proxy-photo')
    await phone.logout()

    // the owner decides to vote himself after all
    await phone.loginAs('demo-owner-zhou')
    await phone.goto(`/packages/voting/pages/detail/index?communityId=${communityId}&voteId=${voteId}`)
    await phone.visible(`proxy-withdraw-${proxy!.id}`).click()
    await phone.visible('proxy-withdraw-confirm').click()
    await expect.poll(async () => (await env.db.select().from(voteProxies).where(eq(voteProxies.id, proxy!.id)))[0]!.state).toBe('revoked')
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
      if (matterIds.length === 0) {
        const ids = await phone.page.locator('[id^="vote-matter-"][id$="-rule"]:visible').evaluateAll((els) => els.map((e) => Number(e.id.split('-')[2])))
        matterIds = ids
      }
      expect(matterIds).toHaveLength(1)
      expect(await phone.visible(`vote-matter-${matterIds[0]}-rule`).getAttribute('data-threshold')).toBe('majority')
      if (openid === 'demo-owner-zhou') {
        // asks for a reminder first: the acceptance is counted by the BFF (one message per acceptance)
        await phone.visible('vote-remind-me').click()
        await expect.poll(() => phone.visible('vote-remind-result').textContent()).toContain('截止前会提醒您一次')
        const [quota] = await env.db.select().from(notificationQuotas).innerJoin(persons, eq(persons.id, notificationQuotas.personId)).where(eq(persons.openid, openid))
        expect(quota!.notification_quotas).toMatchObject({ templateKey: 'vote_reminder', remaining: 1 })
      }
      const voteButton = phone.page.locator('[id^="vote-entry-"][id$="-vote"]:visible')
      if (await voteButton.count()) await voteButton.first().click()
      await phone.visible(`vote-choice-${matterIds[0]}-${choice}`).click()
      await phone.visible('vote-submit').click()
      await phone.visible('vote-final-warning').waitFor()
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
    await expect.poll(async () => (await env.db.select().from(votes).where(eq(votes.id, voteId)))[0]!.state).toBe('closed')
    await phone.goto(`/packages/voting/pages/manage/index?communityId=${communityId}`)
    await phone.visible(`manage-announce-${voteId}`).click()
    await phone.visible('manage-confirm').click()
    await expect.poll(async () => (await env.db.select().from(votes).where(eq(votes.id, voteId)))[0]!.state).toBe('announced')
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
    // and the record verifies: the chain is intact and a recount equals the announced tally
    expect(await verifyVote(env.db, voteId)).toMatchObject({ chain: { ok: true }, recountMatches: true })
  })
})
