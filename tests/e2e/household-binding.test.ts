import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { buildings, communities, memberships, persons, units } from '@linli/bff/db/schema'
import { seedDemo } from '@linli/bff/db/seed-demo'
import { startTestEnv, TEST_APPID, type TestEnv } from '../helpers/app'
import { H5_DIST, PhoneBrowser } from '../helpers/browser'
import { ARTIFACTS } from '../helpers/run'

/**
 * The foundation end to end, as a person does it: the H5 build of the mini-program in Chromium against a real
 * BFF (demo mode, logging in through the WeChat stand-in), on the seeded demo community.
 */
let env: TestEnv
let bff: FastifyInstance
let phone: PhoneBrowser

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
  env = await startTestEnv()
  await seedDemo(env.db, env.protector, TEST_APPID)
  bff = await env.newApp({ DEMO_MODE: 'true', H5_DIST_DIR: H5_DIST })
  await bff.listen({ host: '127.0.0.1', port: 0 })
  phone = await PhoneBrowser.open(`http://127.0.0.1:${(bff.server.address() as AddressInfo).port}`, join(ARTIFACTS, 'e2e'))
})

afterAll(async () => {
  await phone?.close()
  await env?.close()
})

describe('a newcomer binds a household and the committee approves it', () => {
  it('logs in with the demo, applies for 阳光花园 1栋 201 as family, and waits for review', async () => {
    await phone.goto(`/pages/home/index`)
    await phone.visible('home-login').click()
    await phone.visible('login-persona-demo-resident-li').waitFor()
    await phone.snap('login')
    await phone.visible('login-persona-demo-resident-li').click()
    await expect.poll(() => phone.visible('home-greeting').textContent()).toContain('李明')
    await phone.snap('home-new-resident')

    const target = await unitIdOf('阳光花园', '1栋', '201')
    await phone.visible('home-bind-household').click()
    await phone.visible(`bind-community-${target.communityId}`).click()
    await phone.visible(`bind-building-${target.buildingId}`).click()
    await phone.visible(`bind-unit-${target.id}`).click()
    await phone.visible('bind-relation-family').click()
    await phone.snap('bind-household')
    await phone.visible('bind-submit').click()
    await expect.poll(() => phone.visible('bind-result-state').textContent()).toContain('待审核')
    await phone.snap('bind-pending')

    const [li] = await env.db.select().from(persons).where(eq(persons.openid, 'demo-resident-li'))
    const rows = await env.db.select().from(memberships).where(eq(memberships.personId, li!.id))
    expect(rows).toEqual([expect.objectContaining({ unitId: target.id, relation: 'family', state: 'pending' })])
    await phone.logout()
  })

  it('lets the committee member find and approve the application', async () => {
    await phone.loginAs('demo-committee-chen')
    await phone.goto(`/pages/me/index`)
    await phone.visible('me-committee').click()
    const [li] = await env.db.select().from(persons).where(eq(persons.openid, 'demo-resident-li'))
    const [m] = await env.db.select().from(memberships).where(eq(memberships.personId, li!.id))
    await phone.visible(`verif-approve-${m!.id}`).waitFor()
    expect(await phone.visible(`verif-item-${m!.id}`).textContent()).toContain('李明')
    await phone.snap('committee-pending')
    await phone.visible(`verif-approve-${m!.id}`).click()
    await phone.visible('verif-approve-confirm').click()
    await expect.poll(() => phone.visible('verif-result').textContent()).toContain('已通过')
    await phone.snap('committee-approved')
    const [after] = await env.db.select().from(memberships).where(eq(memberships.id, m!.id))
    expect(after).toMatchObject({ state: 'verified', method: 'committee_review' })
    await phone.logout()
  })

  it('shows the resident the verified household on their profile', async () => {
    await phone.loginAs('demo-resident-li')
    await phone.goto(`/pages/me/index`)
    const [li] = await env.db.select().from(persons).where(eq(persons.openid, 'demo-resident-li'))
    const [m] = await env.db.select().from(memberships).where(eq(memberships.personId, li!.id))
    await expect.poll(() => phone.visible(`me-household-${m!.id}-state`).textContent()).toContain('已认证')
    await phone.snap('profile-verified')
    await phone.logout()
  })
})

describe('an owner on the roster is verified without review', () => {
  it('binds the phone, then 1栋 101 as owner, and is verified at once; the phone shows masked', async () => {
    await phone.loginAs('demo-owner-wang')
    await phone.goto(`/packages/account/pages/phone/index`)
    await phone.visible('phone-input').fill('13800000001')
    await phone.visible('phone-submit').click()
    await expect.poll(() => phone.visible('phone-result').textContent()).toContain('138****0001')
    const target = await unitIdOf('阳光花园', '1栋', '101')
    await phone.goto(`/packages/account/pages/bind-household/index`)
    await phone.visible(`bind-community-${target.communityId}`).click()
    await phone.visible(`bind-building-${target.buildingId}`).click()
    await phone.visible(`bind-unit-${target.id}`).click()
    await phone.visible('bind-relation-owner').click()
    await phone.visible('bind-submit').click()
    await expect.poll(() => phone.visible('bind-result-state').textContent()).toContain('已认证')
    await phone.snap('owner-auto-verified')
    await phone.goto(`/pages/me/index`)
    await expect.poll(() => phone.visible('me-phone').textContent()).toContain('138****0001')
    expect(await phone.page.content()).not.toContain('13800000001')
  })
})

describe('care mode', () => {
  it('enlarges type and tap targets, and stays on after a reload', async () => {
    await phone.goto(`/packages/account/pages/settings/index`)
    const fontSize = () => phone.visible('care-mode-source').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
    const before = await fontSize()
    expect(before).toBeGreaterThan(0)
    await phone.visible('care-mode-switch').click()
    await expect.poll(() => phone.visible('care-mode-switch').getAttribute('aria-checked')).toBe('true')
    await phone.page.reload()
    await phone.page.locator('.page--care:visible').first().waitFor()
    expect(await fontSize()).toBeGreaterThan(before)
    const switchBox = await phone.visible('care-mode-switch').boundingBox()
    expect(switchBox!.height).toBeGreaterThanOrEqual(60 * (390 / 375) - 1)
    await phone.goto(`/pages/me/index`)
    await phone.page.locator('.page--care:visible').first().waitFor()
    await phone.snap('care-mode-me')
  })
})
