import { rmSync } from 'node:fs'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { communities } from '@linli/bff/db/schema'
import { seedDemo } from '@linli/bff/db/seed-demo'
import { seedDemoActivity } from '@linli/bff/db/seed-demo-activity'
import { login, startTestEnv, TEST_APPID, type TestEnv } from '../helpers/app'
import { H5_DIST, PhoneBrowser } from '../helpers/browser'
import { auditScreen, CARE_RULES, NORMAL_RULES, type Finding } from '../helpers/care-audit'
import { ARTIFACTS } from '../helpers/run'

/**
 * Every page of the mini-program as each kind of person meets it, in normal and in care mode (适老化), on the
 * demo community: a screenshot of each (.artifacts/e2e/tour/<mode>/), and each screen measured in Chromium —
 * care mode against MIIT's numbers (text ≥ 18 dp, line height ≥ 1.3, targets ≥ 60 dp, contrast ≥ 4.5:1), both
 * modes for contrast, sideways overflow and button labels broken over lines. A page declared in app.config.ts
 * that no one visits fails the tour.
 */
declare global {
  var defineAppConfig: <T>(c: T) => T
}
globalThis.defineAppConfig = (c) => c

type Persona = 'anonymous' | 'demo-resident-li' | 'demo-owner-liu' | 'demo-committee-chen' | 'demo-worker-zhao'
interface Visit {
  who: Persona
  /** page path as in app.config.ts, with its query */
  path: string
  name: string
}

let env: TestEnv
let bff: FastifyInstance
let origin: string
let cid: number
/** the demo's open vote and a vote closed and announced here; the demo request awaiting 刘芳's rating */
const ids = { openVote: 0, closedVote: 0, request: 0 }

/** A second vote, closed early (this test's community allows it) and announced, for the results page. */
async function closedVote(): Promise<number> {
  const [chen, liu, zhou] = [
    await login(env, 'demo-committee-chen', bff),
    await login(env, 'demo-owner-liu', bff),
    await login(env, 'demo-owner-zhou', bff),
  ]
  const api = `/api/v1/communities/${cid}/votes`
  const now = Date.now()
  const draft = await chen.inject({
    method: 'POST',
    url: api,
    payload: {
      title: '关于续聘物业服务企业的表决',
      noticeText: '现就续聘示例物业服务有限公司（合同期三年，物业费标准不变）征求全体业主意见。',
      matters: [
        { category: 4, text: '续聘示例物业服务有限公司，合同期三年' },
        { category: 2, text: '修改管理规约第十二条（电动车停放）' },
      ],
      announcedAt: new Date(now - 20 * 86_400_000).toISOString(),
      opensAt: new Date(now - 60_000).toISOString(),
      closesAt: new Date(now + 86_400_000).toISOString(),
    },
  })
  expect(draft.statusCode, draft.body).toBe(201)
  const vote = draft.json() as { id: number; matters: { id: number }[] }
  expect((await chen.inject({ method: 'POST', url: `${api}/${vote.id}/publish`, payload: {} })).statusCode).toBe(200)
  await bff.scheduler.runDue()
  for (const [who, choice] of [
    [liu, 'yes'],
    [zhou, 'no'],
  ] as const) {
    const [entry] = (await who.inject({ method: 'GET', url: `${api}/${vote.id}/my-entries` })).json().items
    const cast = await who.inject({
      method: 'POST',
      url: `${api}/${vote.id}/ballots`,
      headers: { 'idempotency-key': `tour-ballot-${who.personId}` },
      payload: { ownerKey: entry.entry.ownerKey, choices: vote.matters.map((m) => ({ matterId: m.id, choice })) },
    })
    expect(cast.statusCode, cast.body).toBe(201)
  }
  expect((await chen.inject({ method: 'POST', url: `${api}/${vote.id}/close`, payload: {} })).statusCode).toBe(200)
  expect((await chen.inject({ method: 'POST', url: `${api}/${vote.id}/announce`, payload: {} })).statusCode).toBe(200)
  return vote.id
}

beforeAll(async () => {
  env = await startTestEnv({ SCHEDULER_POLL_MS: '300' })
  await seedDemo(env.db, env.protector, TEST_APPID)
  const [c] = await env.db.select().from(communities).where(eq(communities.name, '阳光花园'))
  cid = c!.id
  await env.db
    .update(communities)
    .set({ settings: { ...(c!.settings as object), earlyCloseAllowed: true } })
    .where(eq(communities.id, cid))
  bff = await env.newApp({ DEMO_MODE: 'true', H5_DIST_DIR: H5_DIST, SCHEDULER_POLL_MS: '300' })
  // what README's first command seeds: an open vote, requests on their way, a notice
  const summary = await seedDemoActivity(bff)
  ids.openVote = Number(/vote \((\d+)\)/.exec(summary)![1])
  ids.request = Number(/(\d+) awaiting/.exec(summary)![1])
  ids.closedVote = await closedVote()
  await bff.listen({ host: '127.0.0.1', port: 0 })
  origin = `http://127.0.0.1:${(bff.server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await env?.close()
})

function visits(): Visit[] {
  const q = `communityId=${cid}`
  const v = (
    who: Persona,
    path: string,
    name = path
      .split('?')[0]!
      .replace(/^\/(packages\/)?/, '')
      .replace(/\/(pages\/)?/g, '-')
      .replace(/-index$/, ''),
  ) => ({ who, path, name })
  return [
    v('anonymous', '/pages/home/index'),
    v('anonymous', '/pages/deliberation/index'),
    v('anonymous', '/pages/services/index'),
    v('anonymous', '/pages/me/index'),
    v('anonymous', '/packages/account/pages/login/index'),
    v('anonymous', '/packages/account/pages/settings/index'),
    v('demo-resident-li', '/pages/home/index'),
    v('demo-resident-li', '/packages/account/pages/bind-household/index'),
    v('demo-resident-li', '/packages/account/pages/phone/index'),
    v('demo-resident-li', '/packages/account/pages/households/index'),
    v('demo-resident-li', '/packages/account/pages/profile/index'),
    v('demo-owner-liu', '/pages/home/index'),
    v('demo-owner-liu', '/pages/deliberation/index'),
    v('demo-owner-liu', '/pages/services/index'),
    v('demo-owner-liu', '/pages/me/index'),
    v('demo-owner-liu', `/packages/voting/pages/list/index?${q}`),
    v('demo-owner-liu', `/packages/voting/pages/detail/index?${q}&voteId=${ids.openVote}`),
    v('demo-owner-liu', `/packages/voting/pages/results/index?${q}&voteId=${ids.closedVote}`),
    v('demo-owner-liu', `/packages/services/pages/file/index?${q}`),
    v('demo-owner-liu', `/packages/services/pages/mine/index?${q}`),
    v('demo-owner-liu', `/packages/services/pages/detail/index?${q}&requestId=${ids.request}`),
    v('demo-owner-liu', `/packages/services/pages/board/index?${q}`),
    v('demo-owner-liu', `/packages/services/pages/figures/index?${q}`),
    v('demo-owner-liu', '/packages/account/pages/households/index'),
    v('demo-owner-liu', '/packages/account/pages/settings/index'),
    v('demo-owner-liu', '/packages/messages/pages/list/index'),
    v('demo-committee-chen', '/pages/home/index'),
    v('demo-committee-chen', '/pages/me/index'),
    v('demo-committee-chen', '/packages/committee/pages/verifications/index'),
    v('demo-committee-chen', `/packages/voting/pages/manage/index?${q}`),
    v('demo-committee-chen', `/packages/voting/pages/detail/index?${q}&voteId=${ids.openVote}`),
    v('demo-committee-chen', `/packages/services/pages/handle/index?${q}`),
    v('demo-worker-zhao', '/pages/me/index'),
    v('demo-worker-zhao', '/packages/committee/pages/verifications/index'),
    v('demo-worker-zhao', `/packages/committee/pages/roles/index?${q}`),
  ]
}

async function tour(mode: 'normal' | 'care'): Promise<{ findings: string[]; shots: number }> {
  const shotsDir = join(ARTIFACTS, 'e2e', 'tour', mode)
  rmSync(shotsDir, { recursive: true, force: true })
  const phone = await PhoneBrowser.open(origin, shotsDir, { timezoneId: 'Asia/Shanghai' })
  const findings: string[] = []
  let shots = 0
  try {
    let current: Persona | null = null
    for (const visit of visits()) {
      if (visit.who !== current) {
        await phone.page.goto(`${origin}/#/pages/home/index`)
        await phone.page.evaluate(() => localStorage.clear())
        if (visit.who !== 'anonymous') await phone.loginAs(visit.who)
        // Taro H5 keeps storage as {"data": …}: care mode on or off by hand; the first-launch offer answered,
        // except for the anonymous first visit, which is a first launch
        await phone.page.evaluate(
          ({ care, offered }) => {
            localStorage.setItem('linli.careMode', JSON.stringify({ data: care ? 'on' : 'off' }))
            if (offered) localStorage.setItem('linli.careModeOffered', JSON.stringify({ data: '1' }))
          },
          { care: mode === 'care', offered: visit.who !== 'anonymous' },
        )
        current = visit.who
      }
      await phone.goto(visit.path)
      await phone.page.waitForLoadState('networkidle')
      await phone.page.waitForTimeout(300)
      const care = await phone.page.locator('.page:visible').first().getAttribute('data-care-mode')
      expect(care, `${visit.who} ${visit.name}`).toBe(mode === 'care' ? 'on' : 'off')
      await phone.snap(`${visit.who.replace(/^demo-/, '')}--${visit.name}`)
      shots++
      const found: Finding[] = await auditScreen(phone.page, mode === 'care' ? CARE_RULES : NORMAL_RULES)
      for (const f of found) findings.push(`${visit.who} ${visit.name}: ${f.rule} ${f.what} ${f.value}`)
    }
  } finally {
    await phone.close()
  }
  return { findings, shots }
}

describe('the tour: every page, as each person meets it', () => {
  it('measures what it claims to (the audit itself, on a page made to fail each rule)', async () => {
    const phone = await PhoneBrowser.open(origin, join(ARTIFACTS, 'e2e', 'tour', 'audit'))
    try {
      await phone.page.setContent(`<body style="margin:0;width:390px;font-family:sans-serif">
        <p style="font-size:16px;line-height:1.1;width:200px">一段比较长的正文文字，会折成好几行，用来检查行高是否足够。</p>
        <div class="btn" style="display:inline-block;width:40px;height:40px;font-size:20px">绑定其他房屋</div>
        <span style="font-size:20px;color:#bbbbbb">浅灰色的字</span>
        <div style="width:500px;height:10px"></div></body>`)
      const rules = (await auditScreen(phone.page, CARE_RULES)).map((f) => f.rule).sort()
      expect(rules).toEqual(
        expect.arrayContaining(['broken-label', 'contrast', 'font', 'line-height', 'overflow', 'tap']),
      )
      await phone.page.setContent(
        `<body style="margin:0;font-family:sans-serif"><div class="btn" style="font-size:20px;line-height:1.5;min-height:60px;color:#000">确定</div></body>`,
      )
      expect(await auditScreen(phone.page, CARE_RULES)).toEqual([])
    } finally {
      await phone.close()
    }
  })

  it('visits every page the app declares', async () => {
    const app = (await import('../../miniprogram/src/app.config')).default as {
      pages: string[]
      subPackages: { root: string; pages: string[] }[]
    }
    const declared = [...app.pages, ...app.subPackages.flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))].map(
      (p) => `/${p}`,
    )
    const visited = new Set(visits().map((v) => v.path.split('?')[0]))
    expect(declared.filter((p) => !visited.has(p))).toEqual([])
  })

  it('in normal mode: readable contrast, nothing wider than the phone, no broken button labels', async () => {
    const { findings, shots } = await tour('normal')
    expect(shots).toBe(visits().length)
    expect(findings).toEqual([])
  })

  it('in care mode: text ≥ 18 dp, line height ≥ 1.3, tap targets ≥ 60 dp, contrast ≥ 4.5:1, intact layout', async () => {
    const { findings, shots } = await tour('care')
    expect(shots).toBe(visits().length)
    expect(findings).toEqual([])
  })
})
