import { and, eq, sql } from 'drizzle-orm'
import { demoPersonas } from '@linli/shared/demo/personas'
import { OUTBOUND_EVENT_TYPES } from '@linli/shared/schemas/webhooks'
import {
  communities,
  communityPropertyContracts,
  communityRoles,
  memberships,
  persons,
  propertyCompanies,
  webhookCommunities,
  webhookIntegrations,
} from './schema'
import type { Db } from './client'
import type { DataProtector } from '../lib/crypto'
import { importRoster } from '../modules/roster'
import { ensureDefaultCategories } from '../modules/service-requests/repository'
import type { RosterUnitInput } from '../modules/roster'
import { appendAudit } from '../modules/audit'

/**
 * The demo's property-company integration (示例物业服务有限公司 ↔ 阳光花园), played by the property stand-in
 * (bff/src/adapters/property/standin.ts, started by scripts/start.sh with this id and secret). The secret is a
 * FIXED, PUBLIC development secret: it exists only in the demo seed, which refuses to run in production. A
 * real integration is created with `pnpm --filter @linli/bff integrations create`, which generates its secret.
 */
export const DEMO_PROPERTY_INTEGRATION_ID = 'int_demo_property'
export const DEMO_PROPERTY_SECRET = `whsec_${Buffer.from('linli-demo-property-standin-key!').toString('base64')}`
/** where the stand-in listens (PROPERTY_STANDIN_PORT, default 3200): the integration's outbound URL */
export const demoPropertyStandinUrl = () =>
  `http://127.0.0.1:${Number(process.env.PROPERTY_STANDIN_PORT ?? 3200)}/webhooks`

const SURNAMES = '张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高'
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '涛',
  '明',
  '超',
  '秀兰',
  '桂英',
  '建华',
  '玉兰',
  '志强',
]

/** A plausible roster: buildings × floors × rooms, deterministic so repeated seeds match. */
export function demoRoster(
  buildingCount: number,
  floors: number,
  roomsPerFloor: number,
  phoneOf?: (b: number, unit: string) => string | null,
): RosterUnitInput[] {
  const out: RosterUnitInput[] = []
  let n = 0
  for (let b = 1; b <= buildingCount; b++) {
    for (let f = 1; f <= floors; f++) {
      for (let r = 1; r <= roomsPerFloor; r++) {
        const unit = `${f}${String(r).padStart(2, '0')}`
        const name = SURNAMES[n % SURNAMES.length]! + GIVEN[(n * 7) % GIVEN.length]!
        const area = 8000 + ((n * 373) % 6000)
        out.push({
          line: out.length + 1,
          building: `${b}栋`,
          unit,
          kind: 'residence',
          areaCenti: area,
          areaSource: n % 10 === 9 ? 'survey' : 'register',
          owners: [{ name, phone: phoneOf?.(b, unit) ?? `139${String(10000000 + n).slice(-8)}` }],
        })
        n++
      }
    }
  }
  return out
}

/**
 * Creates the demo integration when the demo community 阳光花园 exists, its property company has a contract
 * with it, and no integration serves it yet (so it also runs on demo databases seeded before it existed).
 * Development only. Returns true when it created it.
 */
export async function ensureDemoIntegration(
  db: Db,
  protector: DataProtector,
  url = demoPropertyStandinUrl(),
): Promise<boolean> {
  if (process.env.NODE_ENV === 'production') throw new Error('the demo integration cannot be created in production')
  const [found] = await db
    .select({ communityId: communities.id, companyId: communityPropertyContracts.propertyCompanyId })
    .from(communities)
    .innerJoin(communityPropertyContracts, eq(communityPropertyContracts.communityId, communities.id))
    .innerJoin(propertyCompanies, eq(propertyCompanies.id, communityPropertyContracts.propertyCompanyId))
    .where(and(eq(communities.name, '阳光花园'), eq(propertyCompanies.name, '示例物业服务有限公司')))
    .limit(1)
  if (!found) return false
  const [served] = await db
    .select({ id: webhookCommunities.integrationId })
    .from(webhookCommunities)
    .where(eq(webhookCommunities.communityId, found.communityId))
    .limit(1)
  const [exists] = await db
    .select({ id: webhookIntegrations.id })
    .from(webhookIntegrations)
    .where(eq(webhookIntegrations.id, DEMO_PROPERTY_INTEGRATION_ID))
  if (served || exists) return false
  const eventTypes = [...OUTBOUND_EVENT_TYPES]
  await db.transaction(async (tx) => {
    await tx.insert(webhookIntegrations).values({
      id: DEMO_PROPERTY_INTEGRATION_ID,
      propertyCompanyId: found.companyId,
      name: '示例物业（本地替身）',
      url,
      eventTypes,
      secretEnc: protector.encrypt(DEMO_PROPERTY_SECRET),
    })
    await tx
      .insert(webhookCommunities)
      .values({ integrationId: DEMO_PROPERTY_INTEGRATION_ID, communityId: found.communityId })
    await appendAudit(tx, {
      stream: `webhook:${DEMO_PROPERTY_INTEGRATION_ID}`,
      action: 'webhook.integration_created',
      actorPersonId: null,
      subjectType: 'webhook_integration',
      subjectId: DEMO_PROPERTY_INTEGRATION_ID,
      data: { propertyCompanyId: found.companyId, communityIds: [found.communityId], url, eventTypes, demo: true },
    })
  })
  return true
}

export async function seedDemo(
  db: Db,
  protector: DataProtector,
  appid: string,
  opts: { propertyStandinUrl?: string } = {},
): Promise<{ seeded: boolean; summary: string }> {
  const [{ count }] = (await db.select({ count: sql<number>`count(*)` }).from(communities)) as [{ count: number }]
  if (Number(count) > 0) {
    // a demo database seeded before the property integration existed gets it now
    const added = await ensureDemoIntegration(db, protector, opts.propertyStandinUrl)
    if (added)
      console.log(
        `[linli] demo property integration ${DEMO_PROPERTY_INTEGRATION_ID} added for 阳光花园 (→ ${opts.propertyStandinUrl ?? demoPropertyStandinUrl()})`,
      )
    return { seeded: false, summary: added ? `property integration ${DEMO_PROPERTY_INTEGRATION_ID} added` : '' }
  }

  const [sunshine] = await db
    .insert(communities)
    .values({
      name: '阳光花园',
      district: '示例市 和平区 阳光街道',
      address: '阳光路 88 号',
      settings: { parkingCountsForVoting: false },
    })
    .$returningId()
  const [lake] = await db
    .insert(communities)
    .values({ name: '翠湖苑', district: '示例市 湖滨区 翠湖街道', address: '湖滨大道 12 号', settings: {} })
    .$returningId()

  const roster = demoRoster(3, 6, 4, (b, unit) => (b === 1 && unit === '101' ? '13800000001' : null))
  roster[0]!.owners = [{ name: '王秀英', phone: '13800000001' }]
  roster[1]!.owners = [{ name: '刘芳', phone: '13800000002' }]
  roster[2]!.owners = [{ name: '周强', phone: '13800000003' }]
  roster.push({
    line: roster.length + 1,
    building: '地下车库',
    unit: 'P-001',
    kind: 'parking',
    areaCenti: 1250,
    areaSource: 'contract',
    owners: [{ name: '王秀英', phone: '13800000001' }],
  })
  await importRoster(db, protector, {
    communityId: sunshine!.id,
    actorPersonId: null,
    source: 'seed',
    units: roster,
    rejected: [],
  })
  await importRoster(db, protector, {
    communityId: lake!.id,
    actorPersonId: null,
    source: 'seed',
    units: demoRoster(2, 5, 2),
    rejected: [],
  })

  // 报事报修: the default categories (公共维修, 户内维修, 环境卫生, 安全隐患, 投诉, 建议)
  await ensureDefaultCategories(db, sunshine!.id)
  await ensureDefaultCategories(db, lake!.id)

  const [company] = await db
    .insert(propertyCompanies)
    .values({ name: '示例物业服务有限公司', creditCode: '91110000DEMO00001X', contactName: '物业客服' })
    .$returningId()
  await db
    .insert(communityPropertyContracts)
    .values({ communityId: sunshine!.id, propertyCompanyId: company!.id, startsOn: '2024-01-01' })

  const ids = new Map<string, number>()
  for (const p of demoPersonas) {
    // 王秀英 binds her phone herself in the demo (to see the roster match); the verified owners come bound
    const bound =
      p.phone && p.openid !== 'demo-owner-wang'
        ? { phoneEnc: protector.encrypt(p.phone), phoneHash: protector.blindIndex(p.phone) }
        : {}
    const [row] = await db
      .insert(persons)
      .values({ appid, openid: p.openid, displayName: p.displayName, ...bound })
      .$returningId()
    ids.set(p.openid, row!.id)
  }
  await db.insert(communityRoles).values([
    { communityId: sunshine!.id, personId: ids.get('demo-committee-chen')!, role: 'committee' },
    { communityId: sunshine!.id, personId: ids.get('demo-worker-zhao')!, role: 'worker' },
  ])
  // Verified owners from the start: the committee member (2栋 301) and two owners who can vote right away.
  const owned: [string, string, string][] = [
    ['demo-committee-chen', '2栋', '301'],
    ['demo-owner-liu', '1栋', '102'],
    ['demo-owner-zhou', '1栋', '103'],
  ]
  for (const [openid, building, number] of owned) {
    const [unit] = (await db.execute(
      sql`SELECT u.id FROM units u JOIN buildings b ON b.id = u.building_id WHERE b.community_id = ${sunshine!.id} AND b.name = ${building} AND u.number = ${number}`,
    )) as unknown as [[{ id: number }]]
    await db.insert(memberships).values({
      personId: ids.get(openid)!,
      unitId: unit[0]!.id,
      communityId: sunshine!.id,
      relation: 'owner',
      state: 'verified',
      method: openid === 'demo-committee-chen' ? 'committee_review' : 'roster_phone',
      reviewedAt: new Date(),
    })
  }
  await ensureDemoIntegration(db, protector, opts.propertyStandinUrl)
  return {
    seeded: true,
    summary: `阳光花园 (${roster.length} units), 翠湖苑 (20 units), ${demoPersonas.length} demo accounts, property integration ${DEMO_PROPERTY_INTEGRATION_ID} → ${opts.propertyStandinUrl ?? demoPropertyStandinUrl()}`,
  }
}
