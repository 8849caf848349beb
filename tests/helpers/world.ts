import { eq } from 'drizzle-orm'
import { communities, communityRoles, persons, units, buildings, memberships } from '@linli/bff/db/schema'
import { importRoster } from '@linli/bff/modules/roster/service'
import { demoRoster } from '@linli/bff/db/seed-demo'
import { and } from 'drizzle-orm'
import { login, type Session, type TestEnv } from './app'

/**
 * Two communities (A, B), each with a roster, a committee member, a community worker and two verified
 * households; plus an outsider with nothing. The authorization tests walk every route through these people.
 */
export interface World {
  a: { id: number; unitIds: number[]; buildingId: number }
  b: { id: number; unitIds: number[]; buildingId: number }
  people: Record<
    'committeeA' | 'workerA' | 'residentA' | 'neighbourA' | 'committeeB' | 'residentB' | 'outsider' | 'admin',
    Session
  >
}

export async function unitId(env: TestEnv, communityId: number, building: string, number: string): Promise<number> {
  const [row] = await env.db
    .select({ id: units.id })
    .from(units)
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(and(eq(units.communityId, communityId), eq(buildings.name, building), eq(units.number, number)))
  if (!row) throw new Error(`no unit ${building} ${number}`)
  return row.id
}

export async function buildWorld(env: TestEnv): Promise<World> {
  const [a] = await env.db.insert(communities).values({ name: '测试小区A', district: '甲区' }).$returningId()
  const [b] = await env.db.insert(communities).values({ name: '测试小区B', district: '乙区' }).$returningId()
  await importRoster(env.db, env.protector, {
    communityId: a!.id,
    actorPersonId: null,
    source: 'test',
    units: demoRoster(2, 2, 2),
    rejected: [],
  })
  await importRoster(env.db, env.protector, {
    communityId: b!.id,
    actorPersonId: null,
    source: 'test',
    units: demoRoster(1, 2, 2),
    rejected: [],
  })

  const names = [
    'committeeA',
    'workerA',
    'residentA',
    'neighbourA',
    'committeeB',
    'residentB',
    'outsider',
    'admin',
  ] as const
  const people = {} as World['people']
  for (const n of names) people[n] = await login(env, `openid-${n}`)

  await env.db.insert(communityRoles).values([
    { communityId: a!.id, personId: people.committeeA.personId, role: 'committee' },
    { communityId: a!.id, personId: people.workerA.personId, role: 'worker' },
    { communityId: b!.id, personId: people.committeeB.personId, role: 'committee' },
  ])
  await env.db.update(persons).set({ isPlatformAdmin: true }).where(eq(persons.id, people.admin.personId))
  const home = async (s: Session, communityId: number, building: string, number: string) =>
    env.db.insert(memberships).values({
      personId: s.personId,
      unitId: await unitId(env, communityId, building, number),
      communityId,
      relation: 'owner',
      state: 'verified',
      method: 'committee_review',
      reviewedAt: new Date(),
    })
  await home(people.residentA, a!.id, '1栋', '101')
  await home(people.neighbourA, a!.id, '1栋', '102')
  await home(people.residentB, b!.id, '1栋', '101')

  const ids = async (communityId: number) =>
    (await env.db.select({ id: units.id }).from(units).where(eq(units.communityId, communityId))).map((r) => r.id)
  const firstBuilding = async (communityId: number) =>
    (await env.db.select({ id: buildings.id }).from(buildings).where(eq(buildings.communityId, communityId)))[0]!.id
  return {
    a: { id: a!.id, unitIds: await ids(a!.id), buildingId: await firstBuilding(a!.id) },
    b: { id: b!.id, unitIds: await ids(b!.id), buildingId: await firstBuilding(b!.id) },
    people,
  }
}
