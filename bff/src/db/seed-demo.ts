import { sql } from 'drizzle-orm'
import { demoPersonas } from '@linli/shared/demo/personas'
import { communities, communityPropertyContracts, communityRoles, memberships, persons, propertyCompanies } from './schema'
import type { Db } from './client'
import type { DataProtector } from '../lib/crypto'
import { importRoster } from '../modules/roster/service'
import { ensureDefaultCategories } from '../modules/service-requests/repository'
import type { RosterUnitInput } from '../modules/roster/parse'

const SURNAMES = '张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高'
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '秀兰', '桂英', '建华', '玉兰', '志强']

/** A plausible roster: buildings × floors × rooms, deterministic so repeated seeds match. */
export function demoRoster(buildingCount: number, floors: number, roomsPerFloor: number, phoneOf?: (b: number, unit: string) => string | null): RosterUnitInput[] {
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

export async function seedDemo(db: Db, protector: DataProtector, appid: string): Promise<{ seeded: boolean; summary: string }> {
  const [{ count }] = (await db.select({ count: sql<number>`count(*)` }).from(communities)) as [{ count: number }]
  if (Number(count) > 0) return { seeded: false, summary: '' }

  const [sunshine] = await db.insert(communities).values({ name: '阳光花园', district: '示例市 和平区 阳光街道', address: '阳光路 88 号', settings: { parkingCountsForVoting: false } }).$returningId()
  const [lake] = await db.insert(communities).values({ name: '翠湖苑', district: '示例市 湖滨区 翠湖街道', address: '湖滨大道 12 号', settings: {} }).$returningId()

  const roster = demoRoster(3, 6, 4, (b, unit) => (b === 1 && unit === '101' ? '13800000001' : null))
  roster[0]!.owners = [{ name: '王秀英', phone: '13800000001' }]
  roster[1]!.owners = [{ name: '刘芳', phone: '13800000002' }]
  roster[2]!.owners = [{ name: '周强', phone: '13800000003' }]
  roster.push({ line: roster.length + 1, building: '地下车库', unit: 'P-001', kind: 'parking', areaCenti: 1250, areaSource: 'contract', owners: [{ name: '王秀英', phone: '13800000001' }] })
  await importRoster(db, protector, { communityId: sunshine!.id, actorPersonId: null, source: 'seed', units: roster, rejected: [] })
  await importRoster(db, protector, { communityId: lake!.id, actorPersonId: null, source: 'seed', units: demoRoster(2, 5, 2), rejected: [] })

  // 报事报修: the default categories (公共维修, 户内维修, 环境卫生, 安全隐患, 投诉, 建议)
  await ensureDefaultCategories(db, sunshine!.id)
  await ensureDefaultCategories(db, lake!.id)

  const [company] = await db.insert(propertyCompanies).values({ name: '示例物业服务有限公司', creditCode: '91110000DEMO00001X', contactName: '物业客服' }).$returningId()
  await db.insert(communityPropertyContracts).values({ communityId: sunshine!.id, propertyCompanyId: company!.id, startsOn: '2024-01-01' })

  const ids = new Map<string, number>()
  for (const p of demoPersonas) {
    // 王秀英 binds her phone herself in the demo (to see the roster match); the verified owners come bound
    const bound = p.phone && p.openid !== 'demo-owner-wang' ? { phoneEnc: protector.encrypt(p.phone), phoneHash: protector.blindIndex(p.phone) } : {}
    const [row] = await db.insert(persons).values({ appid, openid: p.openid, displayName: p.displayName, ...bound }).$returningId()
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
    const [unit] = (await db.execute(sql`SELECT u.id FROM units u JOIN buildings b ON b.id = u.building_id WHERE b.community_id = ${sunshine!.id} AND b.name = ${building} AND u.number = ${number}`)) as unknown as [[{ id: number }]]
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
  return { seeded: true, summary: `阳光花园 (${roster.length} units), 翠湖苑 (20 units), ${demoPersonas.length} demo accounts` }
}
