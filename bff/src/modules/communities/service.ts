import { and, asc, eq, like, or } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import type { CommunityRole } from '@linli/shared/households/roles'
import type { BuildingSummary, CommunitySummary, RoleAssignment, UnitOption } from '@linli/shared/schemas'
import { buildings, communities, communityRoles, persons, units } from '../../db/schema'
import { isDuplicateKey } from '../../db/client'
import { AppError, notFound } from '../../errors'
import { appendAudit, communityStream } from '../audit/service'

type Deps = Pick<FastifyInstance, 'db'>

export function communityService(app: Deps) {
  const { db } = app

  async function assertCommunity(communityId: number) {
    const [c] = await db.select({ id: communities.id }).from(communities).where(eq(communities.id, communityId))
    if (!c) throw notFound('community')
  }

  return {
    async search(q: string | undefined): Promise<CommunitySummary[]> {
      const term = q?.trim()
      const where = term ? or(like(communities.name, `%${escapeLike(term)}%`), like(communities.district, `%${escapeLike(term)}%`)) : undefined
      return db.select({ id: communities.id, name: communities.name, district: communities.district }).from(communities).where(where).orderBy(asc(communities.name)).limit(50)
    },

    async buildings(communityId: number): Promise<BuildingSummary[]> {
      await assertCommunity(communityId)
      const rows = await db.select({ id: buildings.id, name: buildings.name }).from(buildings).where(eq(buildings.communityId, communityId))
      return rows.sort((a, b) => naturalCompare(a.name, b.name))
    },

    /** Both ids in the path must agree: a building of another community is "not found". */
    async units(communityId: number, buildingId: number): Promise<UnitOption[]> {
      const [b] = await db.select({ id: buildings.id }).from(buildings).where(and(eq(buildings.id, buildingId), eq(buildings.communityId, communityId)))
      if (!b) throw notFound('building')
      const rows = await db.select({ id: units.id, number: units.number, kind: units.kind }).from(units).where(eq(units.buildingId, buildingId))
      return rows.sort((a, b2) => naturalCompare(a.number, b2.number))
    },

    async roles(communityId: number): Promise<RoleAssignment[]> {
      const rows = await db
        .select({ personId: communityRoles.personId, displayName: persons.displayName, role: communityRoles.role, grantedAt: communityRoles.createdAt })
        .from(communityRoles)
        .innerJoin(persons, eq(persons.id, communityRoles.personId))
        .where(eq(communityRoles.communityId, communityId))
        .orderBy(asc(communityRoles.createdAt))
      return rows.map((r) => ({ ...r, grantedAt: r.grantedAt.toISOString() }))
    },

    /** Community workers may appoint committee members; only a platform admin appoints community workers. */
    async grantRole(actor: { personId: number; isPlatformAdmin: boolean }, communityId: number, personId: number, role: CommunityRole) {
      if (role === 'worker' && !actor.isPlatformAdmin) throw new AppError('FORBIDDEN', 'only a platform admin appoints community workers')
      await assertCommunity(communityId)
      const [p] = await db.select({ id: persons.id }).from(persons).where(eq(persons.id, personId))
      if (!p) throw notFound('person')
      await db.transaction(async (tx) => {
        try {
          await tx.insert(communityRoles).values({ communityId, personId, role, grantedBy: actor.personId })
        } catch (err) {
          if (isDuplicateKey(err)) throw new AppError('CONFLICT', 'role already granted')
          throw err
        }
        await appendAudit(tx, { stream: communityStream(communityId), action: 'role.granted', actorPersonId: actor.personId, subjectType: 'person', subjectId: personId, data: { role } })
      })
    },

    async revokeRole(actor: { personId: number; isPlatformAdmin: boolean }, communityId: number, personId: number, role: CommunityRole) {
      if (role === 'worker' && !actor.isPlatformAdmin) throw new AppError('FORBIDDEN', 'only a platform admin removes community workers')
      await db.transaction(async (tx) => {
        const where = and(eq(communityRoles.communityId, communityId), eq(communityRoles.personId, personId), eq(communityRoles.role, role))
        const [row] = await tx.select({ id: communityRoles.id }).from(communityRoles).where(where).for('update')
        if (!row) throw notFound('role')
        await tx.delete(communityRoles).where(eq(communityRoles.id, row.id))
        await appendAudit(tx, { stream: communityStream(communityId), action: 'role.revoked', actorPersonId: actor.personId, subjectType: 'person', subjectId: personId, data: { role } })
      })
    },
  }
}

function escapeLike(s: string) {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`)
}

const collator = new Intl.Collator('zh-CN', { numeric: true })
/** "2栋" before "10栋", "101" before "1001" */
export function naturalCompare(a: string, b: string) {
  return collator.compare(a, b)
}
