import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { buildings, communities, communityRoles, memberships, persons, photos, units } from '@linli/bff/db/schema'
import { seedDemo } from '@linli/bff/db/seed-demo'
import { login, startTestEnv, TEST_APPID, type TestEnv } from '../helpers/app'
import { H5_DIST, PhoneBrowser } from '../helpers/browser'
import { png } from '../helpers/images'
import { ARTIFACTS } from '../helpers/run'
import { multipart } from '../integration/service-requests-fixtures'

/**
 * The foundation end to end, as a person does it: the H5 build of the mini-program in Chromium against a real
 * BFF (demo mode, logging in through the WeChat stand-in), on the seeded demo community.
 */
let env: TestEnv
let bff: FastifyInstance
let phone: PhoneBrowser

const personOf = async (openid: string) => (await env.db.select().from(persons).where(eq(persons.openid, openid)))[0]!
const membershipOf = async (openid: string) =>
  await env.db
    .select()
    .from(memberships)
    .where(eq(memberships.personId, (await personOf(openid)).id))

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
  phone = await PhoneBrowser.open(
    `http://127.0.0.1:${(bff.server.address() as AddressInfo).port}`,
    join(ARTIFACTS, 'e2e'),
  )
})

afterAll(async () => {
  await phone?.close()
  await env?.close()
})

describe('a newcomer claims a household with a name and proof; the committee weighs it against a competing claim', () => {
  it('logs in with the demo, applies for 阳光花园 1栋 201 as family with their name and a photo of the owner’s contract', async () => {
    await phone.goto(`/pages/home/index`)
    await phone.visible('home-login').click()
    await phone.visible('login-persona-demo-resident-li').waitFor()
    await phone.snap('login')
    await phone.visible('login-persona-demo-resident-li').click()
    await expect.poll(() => phone.visible('home-greeting').textContent()).toContain('李明')
    await phone.snap('home-new-resident')

    const target = await unitIdOf('阳光花园', '1栋', '201')
    await phone.goto('/pages/me/index')
    await phone.visible('me-bind-household').click()
    await phone.visible(`bind-community-${target.communityId}`).click()
    await phone.visible(`bind-building-${target.buildingId}`).click()
    await phone.visible(`bind-unit-${target.id}`).click()
    await phone.visible('bind-relation-family').click()
    // a half-filled form asks before it is left; staying keeps it
    await phone.visible('bind-name').fill('李')
    await phone.page.goBack()
    await phone.answerModal('cancel')
    expect(await phone.visible('bind-name').inputValue()).toBe('李')
    await phone.visible('bind-name').fill('')
    // family members prove the household with the owner's papers; a lease is not offered
    await phone.visible('bind-proof-kind-purchase_contract').click()
    expect(await phone.page.locator('#bind-proof-kind-lease_contract:visible').count()).toBe(0)
    await phone.visible('bind-submit').click()
    await expect.poll(() => phone.visible('bind-name-error').textContent()).toContain('请填写您的姓名')
    await phone.visible('bind-name').fill('李明')
    const [chooser] = await Promise.all([
      phone.page.waitForEvent('filechooser'),
      phone.visible('bind-proof-photo-add').click(),
    ])
    await chooser.setFiles({ name: 'goufang-hetong.png', mimeType: 'image/png', buffer: png() })
    await expect.poll(() => phone.visible('bind-proof-photo-0').getAttribute('data-state')).toBe('done')
    await phone.snap('bind-household-proof')

    await phone.visible('bind-submit').click()
    await expect.poll(() => phone.visible('bind-result-state').textContent()).toContain('待审核')
    expect(await phone.visible('bind-result-proof').textContent()).toContain('购房合同 1 张')
    await phone.snap('bind-pending')

    const rows = await membershipOf('demo-resident-li')
    expect(rows).toEqual([
      expect.objectContaining({
        unitId: target.id,
        relation: 'family',
        state: 'pending',
        statedName: '李明',
        proofKind: 'purchase_contract',
      }),
    ])
    expect(await env.db.select().from(photos).where(eq(photos.membershipId, rows[0]!.id))).toHaveLength(1)
    // a resident is offered no role management
    await phone.goto('/pages/me/index')
    await phone.visible('me-households').waitFor()
    expect(await phone.page.locator('#me-roles-manage:visible').count()).toBe(0)
    await phone.logout()
  })

  it('lets the committee see both claims on 1栋 201 side by side with their proof, approve one and reject the other with a reason', async () => {
    // a competing claim on the same unit, filed through the API: 周强 says he rents it, with a photo of a lease
    const target = await unitIdOf('阳光花园', '1栋', '201')
    const zhou = await login(env, 'demo-owner-zhou', bff)
    const m = multipart(png(), 'zulin.png', 'image/png')
    const photo = (
      await zhou.inject({
        method: 'POST',
        url: `/api/v1/communities/${target.communityId}/photos?purpose=membership`,
        payload: m.payload,
        headers: m.headers,
      })
    ).json()
    const claim = await zhou.inject({
      method: 'POST',
      url: '/api/v1/memberships',
      payload: {
        unitId: target.id,
        relation: 'tenant',
        name: '周强',
        proof: { kind: 'lease_contract', photoIds: [photo.id] },
      },
    })
    expect(claim.statusCode, claim.body).toBe(201)
    const zhouClaim = claim.json().id as number
    const [liClaim] = await membershipOf('demo-resident-li')

    await phone.loginAs('demo-committee-chen')
    await phone.goto(`/pages/me/index`)
    await phone.visible('me-committee').click()
    await phone.visible(`verif-unit-${target.id}`).waitFor()
    const group = phone.visible(`verif-unit-${target.id}`)
    expect(await group.textContent()).toContain('2 份申请')
    await phone.visible(`verif-item-${liClaim!.id}`).waitFor()
    await phone.visible(`verif-item-${zhouClaim}`).waitFor()
    expect(await phone.visible(`verif-item-${liClaim!.id}-name`).textContent()).toBe('李明')
    expect(await phone.visible(`verif-item-${zhouClaim}-proof`).textContent()).toContain('租赁合同')
    expect(await phone.visible(`verif-item-${liClaim!.id}-namecheck`).textContent()).toContain('不是名册上的业主')
    // side by side: the two claims share a row, one beside the other, without overlapping
    await phone.snap('committee-competing-claims')
    const [a, b] = (
      await Promise.all([
        phone.visible(`verif-item-${liClaim!.id}`).boundingBox(),
        phone.visible(`verif-item-${zhouClaim}`).boundingBox(),
      ])
    ).sort((x, y) => x!.x - y!.x)
    expect(Math.abs(a!.y - b!.y)).toBeLessThan(2)
    expect(b!.x).toBeGreaterThanOrEqual(a!.x + a!.width)
    // the proof photos load through the reviewer's signed links
    for (const id of [liClaim!.id, zhouClaim]) {
      const img = phone.page.locator(`#verif-item-${id}-photos:visible img`).first()
      await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0)
    }
    // the roster owner's name is shown masked only
    expect(await phone.visible(`verif-unit-${target.id}-roster`).textContent()).toMatch(/.\*+/)

    await phone.visible(`verif-approve-${liClaim!.id}`).click()
    await phone.answerModal('confirm')
    await expect.poll(() => phone.visible('verif-result').textContent()).toContain('已通过 李明')
    // what is left on the unit shows who is verified there now
    await expect
      .poll(() => phone.visible(`verif-unit-${target.id}-verified`).textContent())
      .toContain('李明（家庭成员）')
    await phone.visible(`verif-reject-${zhouClaim}`).click()
    await phone.visible('verif-reject-confirm').click()
    await expect.poll(() => phone.visible('verif-reason-error').textContent()).toContain('至少')
    await phone.visible('verif-reason-input').locator('textarea').fill('租赁合同上的房号是 1栋 202，与申请不符')
    await phone.visible('verif-reject-confirm').click()
    await expect.poll(() => phone.visible('verif-result').textContent()).toContain('已驳回 周强')
    await phone.visible('verif-empty').waitFor()
    await phone.snap('committee-decided')

    const decided = await env.db.select().from(memberships).where(eq(memberships.unitId, target.id))
    expect(decided.map((r) => [r.id, r.state]).sort()).toEqual(
      [
        [liClaim!.id, 'verified'],
        [zhouClaim, 'rejected'],
      ].sort(),
    )
    // the proof served its review and is gone
    expect(await env.db.select().from(photos).where(eq(photos.membershipId, liClaim!.id))).toEqual([])
    expect(await env.db.select().from(photos).where(eq(photos.membershipId, zhouClaim))).toEqual([])
    await phone.logout()

    await phone.loginAs('demo-owner-zhou')
    await phone.goto('/packages/account/pages/households/index')
    await expect.poll(() => phone.visible(`household-${zhouClaim}-reason`).textContent()).toContain('与申请不符')
    await phone.logout()
  })

  it('shows the resident the verified household, and lets them choose the name neighbours see', async () => {
    await phone.loginAs('demo-resident-li')
    await phone.goto(`/pages/me/index`)
    const [m] = await membershipOf('demo-resident-li')
    await expect.poll(() => phone.visible(`me-household-${m!.id}-state`).textContent()).toContain('已认证')
    await phone.snap('profile-verified')
    await phone.visible('me-profile').click()
    await expect.poll(() => phone.visible('profile-name').inputValue()).toBe('李明')
    await phone.visible('profile-name').fill('   ')
    await phone.visible('profile-save').click()
    await expect.poll(() => phone.visible('profile-name-error').textContent()).toContain('请填写昵称')
    await phone.visible('profile-name').fill('1栋 李明')
    await phone.visible('profile-save').click()
    await expect.poll(() => phone.visible('me-name').textContent()).toBe('1栋 李明')
    expect((await personOf('demo-resident-li')).displayName).toBe('1栋 李明')
    await phone.logout()
  })
})

describe('a community worker appoints a committee member', () => {
  it('finds 刘芳 by her room among verified owners, appoints her after confirming, and removes her again only after confirming', async () => {
    const liu = await personOf('demo-owner-liu')
    const community = (await unitIdOf('阳光花园', '1栋', '102')).communityId
    await phone.loginAs('demo-worker-zhao')
    await phone.goto('/pages/me/index')
    await phone.visible('me-roles-manage').click()
    await phone.visible('roles-committee').waitFor()
    expect(await phone.visible('roles-committee').textContent()).toContain('陈建国')
    expect(await phone.visible('roles-worker').textContent()).toContain('赵敏')
    // a worker cannot remove a worker: only the committee rows have 免去
    expect(await phone.page.locator('#roles-worker:visible .btn').count()).toBe(0)

    await phone.visible('roles-search').fill('1栋 102')
    await phone.visible('roles-search-submit').click()
    await phone.visible(`roles-candidate-${liu.id}`).waitFor()
    expect(await phone.visible(`roles-candidate-${liu.id}`).textContent()).toContain('1栋 102（业主）')
    await phone.snap('roles-search')
    await phone.visible(`roles-grant-${liu.id}`).click()
    await phone.answerModal('confirm')
    await expect.poll(() => phone.visible('roles-message').textContent()).toContain('已任命 刘芳 为业委会委员')
    await expect.poll(() => phone.visible('roles-committee').textContent()).toContain('刘芳')
    await phone.snap('roles-appointed')
    const granted = await env.db
      .select()
      .from(communityRoles)
      .where(and(eq(communityRoles.personId, liu.id), eq(communityRoles.communityId, community)))
    expect(granted.map((r) => r.role)).toEqual(['committee'])

    await phone.visible(`roles-remove-committee-${liu.id}`).click()
    await phone.answerModal('cancel')
    expect(await env.db.select().from(communityRoles).where(eq(communityRoles.personId, liu.id))).toHaveLength(1)
    await phone.visible(`roles-remove-committee-${liu.id}`).click()
    await phone.answerModal('confirm')
    await expect.poll(() => phone.visible('roles-message').textContent()).toContain('已免去 刘芳')
    expect(await env.db.select().from(communityRoles).where(eq(communityRoles.personId, liu.id))).toEqual([])
    await phone.logout()
  })
})

describe('an owner on the roster is verified without review', () => {
  it('binds the phone, then 1栋 101 as owner, and is verified at once; the phone shows masked', async () => {
    await phone.loginAs('demo-owner-wang')
    await phone.goto(`/packages/account/pages/phone/index`)
    // an 11-digit number starting with 2 is told what is wrong, not "enter 11 digits"
    await phone.visible('phone-input').fill('21380000000')
    await phone.visible('phone-submit').click()
    await expect.poll(() => phone.visible('phone-error').textContent()).toBe('手机号以 1 开头，您填的以 2 开头')
    await phone.visible('phone-input').fill('1380000000')
    await phone.visible('phone-submit').click()
    await expect.poll(() => phone.visible('phone-error').textContent()).toBe('手机号应为 11 位数字，您填了 10 位')
    await phone.visible('phone-input').fill('13800000001')
    await phone.visible('phone-submit').click()
    await expect.poll(() => phone.visible('phone-result').textContent()).toContain('138****0001')
    const target = await unitIdOf('阳光花园', '1栋', '101')
    await phone.goto(`/packages/account/pages/bind-household/index`)
    await phone.visible(`bind-community-${target.communityId}`).click()
    await phone.visible(`bind-building-${target.buildingId}`).click()
    await phone.visible(`bind-unit-${target.id}`).click()
    await phone.visible('bind-relation-owner').click()
    await phone.visible('bind-name').fill('王秀英')
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
