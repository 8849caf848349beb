import { mkdtempSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { and, eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { buildings, communities, memberships, persons, units } from '@linli/bff/db/schema'
import { seedDemo } from '@linli/bff/db/seed-demo'
import { startTestEnv, TEST_APPID, type TestEnv } from '../helpers/app'
import { CHROMIUM_PATH } from '../helpers/env'
import { ARTIFACTS, REPO_ROOT, run } from '../helpers/run'

/**
 * The foundation end to end, as a person does it: the H5 build of the mini-program in Chromium against a real
 * BFF (demo mode, logging in through the WeChat stand-in), on the seeded demo community.
 */
const H5_DIST = join(REPO_ROOT, 'miniprogram/dist/h5')
const SHOTS = join(ARTIFACTS, 'e2e')

let env: TestEnv
let bff: FastifyInstance
let origin: string
let context: BrowserContext
let page: Page
let shot = 0

async function snap(name: string) {
  // Let Taro's page transition finish so the picture shows the page (Playwright's animations: 'disabled'
  // fast-forwards it into a state where Taro hides both pages).
  await page.waitForTimeout(400)
  await page.screenshot({ path: join(SHOTS, `${String(++shot).padStart(2, '0')}-${name}.png`), fullPage: true })
}

const visible = (id: string) => page.locator(`#${id}:visible`)

/** A fresh document for each step: hash changes alone keep earlier pages in Taro's H5 stack. */
async function open(hashPath: string) {
  await page.goto('about:blank')
  await page.goto(`${origin}/#${hashPath}`)
}

async function loginAs(openid: string) {
  await open(`/packages/account/pages/login/index`)
  await visible(`login-persona-${openid}`).click()
  await expect.poll(() => page.evaluate(() => location.hash), { timeout: 15_000 }).not.toContain('login')
}

async function logout() {
  await open(`/pages/me/index`)
  await visible('me-logout').click()
  await visible('me-login').waitFor()
}

async function unitIdOf(community: string, building: string, number: string) {
  const [row] = await env.db
    .select({ id: units.id, buildingId: buildings.id, communityId: communities.id })
    .from(units)
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .innerJoin(communities, eq(communities.id, units.communityId))
    .where(and(eq(communities.name, community), eq(buildings.name, building), eq(units.number, number)))
  return row!
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  await run('pnpm', ['--filter', '@linli/miniprogram', 'build:h5'], { env: { NODE_ENV: 'production', TARO_APP_DEMO: '1', TARO_APP_API_BASE: '' } })
  env = await startTestEnv()
  await seedDemo(env.db, env.protector, TEST_APPID)
  bff = await env.newApp({ DEMO_MODE: 'true', H5_DIST_DIR: H5_DIST })
  await bff.listen({ host: '127.0.0.1', port: 0 })
  origin = `http://127.0.0.1:${(bff.server.address() as AddressInfo).port}`
  context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'linli-e2e-')), {
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    hasTouch: true,
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
  })
  page = context.pages()[0] ?? (await context.newPage())
  page.setDefaultTimeout(15_000)
})

afterAll(async () => {
  await context?.close()
  await env?.close()
})

describe('a newcomer binds a household and the committee approves it', () => {
  it('logs in with the demo, applies for 阳光花园 1栋 201 as family, and waits for review', async () => {
    await open(`/pages/home/index`)
    await visible('home-login').click()
    await visible('login-persona-demo-resident-li').waitFor()
    await snap('login')
    await visible('login-persona-demo-resident-li').click()
    await expect.poll(() => visible('home-greeting').textContent()).toContain('李明')
    await snap('home-new-resident')

    const target = await unitIdOf('阳光花园', '1栋', '201')
    await visible('home-bind-household').click()
    await visible(`bind-community-${target.communityId}`).click()
    await visible(`bind-building-${target.buildingId}`).click()
    await visible(`bind-unit-${target.id}`).click()
    await visible('bind-relation-family').click()
    await snap('bind-household')
    await visible('bind-submit').click()
    await expect.poll(() => visible('bind-result-state').textContent()).toContain('待审核')
    await snap('bind-pending')

    const [li] = await env.db.select().from(persons).where(eq(persons.openid, 'demo-resident-li'))
    const rows = await env.db.select().from(memberships).where(eq(memberships.personId, li!.id))
    expect(rows).toEqual([expect.objectContaining({ unitId: target.id, relation: 'family', state: 'pending' })])
    await logout()
  })

  it('lets the committee member find and approve the application', async () => {
    await loginAs('demo-committee-chen')
    await open(`/pages/me/index`)
    await visible('me-committee').click()
    const [li] = await env.db.select().from(persons).where(eq(persons.openid, 'demo-resident-li'))
    const [m] = await env.db.select().from(memberships).where(eq(memberships.personId, li!.id))
    await visible(`verif-approve-${m!.id}`).waitFor()
    expect(await visible(`verif-item-${m!.id}`).textContent()).toContain('李明')
    await snap('committee-pending')
    await visible(`verif-approve-${m!.id}`).click()
    await visible('verif-approve-confirm').click()
    await expect.poll(() => visible('verif-result').textContent()).toContain('已通过')
    await snap('committee-approved')
    const [after] = await env.db.select().from(memberships).where(eq(memberships.id, m!.id))
    expect(after).toMatchObject({ state: 'verified', method: 'committee_review' })
    await logout()
  })

  it('shows the resident the verified household on their profile', async () => {
    await loginAs('demo-resident-li')
    await open(`/pages/me/index`)
    const [li] = await env.db.select().from(persons).where(eq(persons.openid, 'demo-resident-li'))
    const [m] = await env.db.select().from(memberships).where(eq(memberships.personId, li!.id))
    await expect.poll(() => visible(`me-household-${m!.id}-state`).textContent()).toContain('已认证')
    await snap('profile-verified')
    await logout()
  })
})

describe('an owner on the roster is verified without review', () => {
  it('binds the phone, then 1栋 101 as owner, and is verified at once; the phone shows masked', async () => {
    await loginAs('demo-owner-wang')
    await open(`/packages/account/pages/phone/index`)
    await visible('phone-input').fill('13800000001')
    await visible('phone-submit').click()
    await expect.poll(() => visible('phone-result').textContent()).toContain('138****0001')
    const target = await unitIdOf('阳光花园', '1栋', '101')
    await open(`/packages/account/pages/bind-household/index`)
    await visible(`bind-community-${target.communityId}`).click()
    await visible(`bind-building-${target.buildingId}`).click()
    await visible(`bind-unit-${target.id}`).click()
    await visible('bind-relation-owner').click()
    await visible('bind-submit').click()
    await expect.poll(() => visible('bind-result-state').textContent()).toContain('已认证')
    await snap('owner-auto-verified')
    await open(`/pages/me/index`)
    await expect.poll(() => visible('me-phone').textContent()).toContain('138****0001')
    expect(await page.content()).not.toContain('13800000001')
  })
})

describe('care mode', () => {
  it('enlarges type and tap targets, and stays on after a reload', async () => {
    await open(`/packages/account/pages/settings/index`)
    const fontSize = () => visible('care-mode-source').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
    const before = await fontSize()
    expect(before).toBeGreaterThan(0)
    await visible('care-mode-switch').click()
    await expect.poll(() => visible('care-mode-switch').getAttribute('aria-checked')).toBe('true')
    await page.reload()
    await page.locator('.page--care:visible').first().waitFor()
    expect(await fontSize()).toBeGreaterThan(before)
    const switchBox = await visible('care-mode-switch').boundingBox()
    expect(switchBox!.height).toBeGreaterThanOrEqual(60 * (390 / 375) - 1)
    await open(`/pages/me/index`)
    await page.locator('.page--care:visible').first().waitFor()
    await snap('care-mode-me')
  })
})
