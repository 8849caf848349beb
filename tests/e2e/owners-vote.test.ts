import { mkdtempSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { desc, eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { communities, notificationQuotas, persons, votes } from '@linli/bff/db/schema'
import { seedDemo } from '@linli/bff/db/seed-demo'
import { verifyVote } from '@linli/bff/modules/voting/verify'
import { startTestEnv, TEST_APPID, type TestEnv } from '../helpers/app'
import { CHROMIUM_PATH } from '../helpers/env'
import { ARTIFACTS, REPO_ROOT, run } from '../helpers/run'

/**
 * 业主大会电子表决 end to end in Chromium on the H5 build against a real BFF: the committee drafts and publishes a
 * vote, three owners vote and keep their receipts, the vote closes, the results and the receipts show.
 */
const H5_DIST = join(REPO_ROOT, 'miniprogram/dist/h5')
const SHOTS = join(ARTIFACTS, 'e2e-voting')
const TZ = 'Asia/Shanghai'

let env: TestEnv
let bff: FastifyInstance
let origin: string
let context: BrowserContext
let page: Page
let shot = 0
let communityId: number
let voteId: number
let matterIds: number[] = []
const receipts: Record<string, string> = {}

const visible = (id: string) => page.locator(`#${id}:visible`)

async function snap(name: string) {
  await page.waitForTimeout(400) // let Taro's page transition finish
  await page.screenshot({ path: join(SHOTS, `${String(++shot).padStart(2, '0')}-${name}.png`), fullPage: true })
}

async function open(hashPath: string) {
  await page.goto('about:blank')
  await page.goto(`${origin}/#${hashPath}`)
}

async function loginAs(openid: string) {
  await open('/packages/account/pages/login/index')
  await visible(`login-persona-${openid}`).click()
  await expect.poll(() => page.evaluate(() => location.hash), { timeout: 15_000 }).not.toContain('login')
}

async function logout() {
  await open('/pages/me/index')
  await visible('me-logout').click()
  await visible('me-login').waitFor()
}

/** `YYYY-MM-DD HH:mm` in the phone's time zone, as the committee form takes it. */
function local(d: Date): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d).map((x) => [x.type, x.value]))
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  await run('pnpm', ['--filter', '@linli/miniprogram', 'build:h5'], { env: { NODE_ENV: 'production', TARO_APP_DEMO: '1', TARO_APP_API_BASE: '' } })
  env = await startTestEnv({ SCHEDULER_POLL_MS: '300' })
  await seedDemo(env.db, env.protector, TEST_APPID)
  const [c] = await env.db.select().from(communities).where(eq(communities.name, '阳光花园'))
  communityId = c!.id
  // this community's rules let the committee close early, so the test need not wait for the end time
  await env.db.update(communities).set({ settings: { ...(c!.settings as object), earlyCloseAllowed: true } }).where(eq(communities.id, communityId))
  bff = await env.newApp({ DEMO_MODE: 'true', H5_DIST_DIR: H5_DIST, SCHEDULER_POLL_MS: '300' })
  await bff.listen({ host: '127.0.0.1', port: 0 })
  origin = `http://127.0.0.1:${(bff.server.address() as AddressInfo).port}`
  context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'linli-e2e-vote-')), {
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    hasTouch: true,
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    timezoneId: TZ,
  })
  page = context.pages()[0] ?? (await context.newPage())
  page.setDefaultTimeout(15_000)
})

afterAll(async () => {
  await context?.close()
  await env?.close()
})

describe("an owners' assembly vote from draft to results", () => {
  it('lets the committee draft and publish a vote, showing the fingerprints', async () => {
    await loginAs('demo-committee-chen')
    await open(`/packages/voting/pages/manage/index?communityId=${communityId}`)
    await visible('manage-create').click()
    await visible('manage-title').fill('关于续聘物业服务企业的表决')
    await page.locator('#manage-notice:visible textarea').fill('根据《业主大会议事规则》，现就续聘物业服务企业征求全体业主意见。')
    await visible('manage-matter-0-category').click()
    await visible('manage-matter-0-category-4').click()
    await visible('manage-matter-0-text').fill('续聘示例物业服务有限公司，合同期三年')
    const now = Date.now()
    await visible('manage-announced-at').fill(local(new Date(now - 16 * 86_400_000)))
    await visible('manage-opens-at').fill(local(new Date(now - 60_000)))
    await visible('manage-closes-at').fill(local(new Date(now + 86_400_000)))
    await snap('committee-draft')
    await visible('manage-save').click()
    await expect.poll(async () => (await env.db.select().from(votes).orderBy(desc(votes.id)).limit(1))[0]?.state).toBe('draft')
    const [draft] = await env.db.select().from(votes).orderBy(desc(votes.id)).limit(1)
    voteId = draft!.id
    await visible(`manage-publish-${voteId}`).click()
    await visible('manage-confirm').click()
    await expect.poll(() => visible('manage-fingerprint-roll').getAttribute('data-full')).toMatch(/^[0-9a-f]{64}$/)
    const [published] = await env.db.select().from(votes).where(eq(votes.id, voteId))
    expect(await visible('manage-fingerprint-roll').getAttribute('data-full')).toBe(published!.rollFingerprint)
    await snap('committee-published')
    // the scheduler opens it (opensAt has passed)
    await expect.poll(async () => (await env.db.select().from(votes).where(eq(votes.id, voteId)))[0]!.state, { timeout: 10_000 }).toBe('open')
    await logout()
  })

  it('lets three owners vote, each confirming and keeping a receipt', async () => {
    const plan: [string, 'yes' | 'no' | 'abstain'][] = [
      ['demo-owner-liu', 'yes'],
      ['demo-owner-zhou', 'no'],
      ['demo-committee-chen', 'yes'],
    ]
    for (const [openid, choice] of plan) {
      await loginAs(openid)
      await open(`/packages/voting/pages/detail/index?communityId=${communityId}&voteId=${voteId}`)
      await visible('vote-title').waitFor()
      if (matterIds.length === 0) {
        const ids = await page.locator('[id^="vote-matter-"][id$="-rule"]:visible').evaluateAll((els) => els.map((e) => Number(e.id.split('-')[2])))
        matterIds = ids
      }
      expect(matterIds).toHaveLength(1)
      expect(await visible(`vote-matter-${matterIds[0]}-rule`).getAttribute('data-threshold')).toBe('majority')
      if (openid === 'demo-owner-zhou') {
        // asks for a reminder first: the acceptance is counted by the BFF (one message per acceptance)
        await visible('vote-remind-me').click()
        await expect.poll(() => visible('vote-remind-result').textContent()).toContain('截止前会提醒您一次')
        const [quota] = await env.db.select().from(notificationQuotas).innerJoin(persons, eq(persons.id, notificationQuotas.personId)).where(eq(persons.openid, openid))
        expect(quota!.notification_quotas).toMatchObject({ templateKey: 'vote_reminder', remaining: 1 })
      }
      const voteButton = page.locator('[id^="vote-entry-"][id$="-vote"]:visible')
      if (await voteButton.count()) await voteButton.first().click()
      await visible(`vote-choice-${matterIds[0]}-${choice}`).click()
      await visible('vote-submit').click()
      await visible('vote-final-warning').waitFor()
      if (openid === 'demo-owner-liu') await snap('owner-confirm')
      await visible('vote-confirm').click()
      await expect.poll(() => visible('vote-receipt').getAttribute('data-receipt')).toMatch(/^[0-9A-F]{8,}$/)
      receipts[openid] = (await visible('vote-receipt').getAttribute('data-receipt'))!
      if (openid === 'demo-owner-liu') await snap('owner-receipt')
      await logout()
    }
    expect(new Set(Object.values(receipts)).size).toBe(3)
  })

  it('closes the vote and announces the results', async () => {
    await loginAs('demo-committee-chen')
    await open(`/packages/voting/pages/manage/index?communityId=${communityId}`)
    await visible(`manage-close-${voteId}`).click()
    await visible('manage-confirm').click()
    await expect.poll(async () => (await env.db.select().from(votes).where(eq(votes.id, voteId)))[0]!.state).toBe('closed')
    await open(`/packages/voting/pages/manage/index?communityId=${communityId}`)
    await visible(`manage-announce-${voteId}`).click()
    await visible('manage-confirm').click()
    await expect.poll(async () => (await env.db.select().from(votes).where(eq(votes.id, voteId)))[0]!.state).toBe('announced')
    await logout()
  })

  it('shows every owner the decision, the public list of ballots, and that their ballot counted', async () => {
    await loginAs('demo-owner-liu')
    await open(`/packages/voting/pages/results/index?communityId=${communityId}&voteId=${voteId}`)
    const decision = visible(`result-matter-${matterIds[0]}-decision`)
    await decision.waitFor()
    // 3 of the community's owners took part: far below two thirds, so the matter has no quorum
    expect(await decision.getAttribute('data-decision')).toBe('no_quorum')
    expect(await decision.textContent()).toBe('未达法定参与人数')
    expect(await visible(`result-matter-${matterIds[0]}-quorum-owners`).getAttribute('data-met')).toBe('false')
    for (const receipt of Object.values(receipts)) await visible(`result-ballot-${receipt}`).waitFor()
    expect(await visible(`result-ballot-${receipts['demo-owner-liu']}`).textContent()).toContain('1栋 102')
    expect(await visible(`result-ballot-${receipts['demo-owner-liu']}`).getAttribute('data-mine')).toBe('true')
    expect(await visible('receipt-check-input').inputValue()).toBe(receipts['demo-owner-liu'])
    await visible('receipt-check-submit').click()
    await expect.poll(() => visible('receipt-check-result').getAttribute('data-counted')).toBe('true')
    await snap('results')
    // and the record verifies: the chain is intact and a recount equals the announced tally
    expect(await verifyVote(env.db, voteId)).toMatchObject({ chain: { ok: true }, recountMatches: true })
  })
})
