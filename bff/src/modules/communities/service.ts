import { and, asc, eq, inArray, like, or, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { eligibleFor, mayAppoint, type CommunityRole, type Role } from '@linli/shared/households/roles'
import { normalizePhone } from '@linli/shared/privacy/mask'
import type {
  BuildingSummary,
  CommunitySummary,
  HomeRef,
  RoleAssignment,
  RoleCandidate,
  UnitOption,
} from '@linli/shared/schemas'
import { buildings, communities, communityRoles, memberships, persons, units } from '../../db/schema'
import { isDuplicateKey, type DbOrTx } from '../../db/client'
import { AppError, forbidden, notFound } from '../../errors'
import { appendAudit, communityStream } from '../audit'

type Deps = Pick<FastifyInstance, 'db' | 'protector'>
type Appointer = { personId: number; isPlatformAdmin: boolean; roles: Map<number, Set<Role>> }

const CANDIDATES_MAX = 20

/** Verified homes of these people in one community, by person. */
async function homesOf(db: DbOrTx, communityId: number, personIds: number[]): Promise<Map<number, HomeRef[]>> {
  const byPerson = new Map<number, HomeRef[]>()
  if (personIds.length === 0) return byPerson
  const rows = await db
    .select({
      personId: memberships.personId,
      buildingName: buildings.name,
      number: units.number,
      relation: memberships.relation,
    })
    .from(memberships)
    .innerJoin(units, eq(units.id, memberships.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(
      and(
        eq(memberships.communityId, communityId),
        eq(memberships.state, 'verified'),
        inArray(memberships.personId, personIds),
      ),
    )
  for (const { personId, ...home } of rows.sort((a, b) =>
    naturalCompare(a.buildingName + a.number, b.buildingName + b.number),
  )) {
    byPerson.set(personId, [...(byPerson.get(personId) ?? []), home])
  }
  return byPerson
}

function heldIn(actor: Appointer, communityId: number): Set<Role> {
  const held = new Set<Role>(actor.roles.get(communityId) ?? [])
  if (actor.isPlatformAdmin) held.add('admin')
  return held
}

export function communityService(app: Deps) {
  const { db } = app

  async function assertCommunity(communityId: number) {
    const [c] = await db.select({ id: communities.id }).from(communities).where(eq(communities.id, communityId))
    if (!c) throw notFound('community')
  }

  return {
    async search(q: string | undefined): Promise<CommunitySummary[]> {
      const term = q?.trim()
      const where = term
        ? or(like(communities.name, `%${escapeLike(term)}%`), like(communities.district, `%${escapeLike(term)}%`))
        : undefined
      return db
        .select({ id: communities.id, name: communities.name, district: communities.district })
        .from(communities)
        .where(where)
        .orderBy(asc(communities.name))
        .limit(50)
    },

    async buildings(communityId: number): Promise<BuildingSummary[]> {
      await assertCommunity(communityId)
      const rows = await db
        .select({ id: buildings.id, name: buildings.name })
        .from(buildings)
        .where(eq(buildings.communityId, communityId))
      return rows.sort((a, b) => naturalCompare(a.name, b.name))
    },

    /** Both ids in the path must agree: a building of another community is "not found". */
    async units(communityId: number, buildingId: number): Promise<UnitOption[]> {
      const [b] = await db
        .select({ id: buildings.id })
        .from(buildings)
        .where(and(eq(buildings.id, buildingId), eq(buildings.communityId, communityId)))
      if (!b) throw notFound('building')
      const rows = await db
        .select({ id: units.id, number: units.number, kind: units.kind })
        .from(units)
        .where(eq(units.buildingId, buildingId))
      return rows.sort((a, b2) => naturalCompare(a.number, b2.number))
    },

    async roles(communityId: number): Promise<RoleAssignment[]> {
      const rows = await db
        .select({
          personId: communityRoles.personId,
          displayName: persons.displayName,
          role: communityRoles.role,
          grantedAt: communityRoles.createdAt,
        })
        .from(communityRoles)
        .innerJoin(persons, eq(persons.id, communityRoles.personId))
        .where(eq(communityRoles.communityId, communityId))
        .orderBy(asc(communityRoles.createdAt))
      const homes = await homesOf(db, communityId, [...new Set(rows.map((r) => r.personId))])
      return rows.map((r) => ({ ...r, grantedAt: r.grantedAt.toISOString(), homes: homes.get(r.personId) ?? [] }))
    },

    /**
     * People to appoint: verified residents of this community whose name (display or stated) or room matches; and,
     * for a whole mobile number, whoever bound it (a community worker need not live there). Nothing else about
     * them: no phone, no other community.
     */
    async candidates(communityId: number, q: string): Promise<RoleCandidate[]> {
      const term = q.trim()
      if (term === '') return []
      const pattern = `%${escapeLike(term)}%`
      const room = `%${escapeLike(term.replace(/\s+/g, ''))}%`
      const residents = await db
        .selectDistinct({ personId: memberships.personId })
        .from(memberships)
        .innerJoin(persons, eq(persons.id, memberships.personId))
        .innerJoin(units, eq(units.id, memberships.unitId))
        .innerJoin(buildings, eq(buildings.id, units.buildingId))
        .where(
          and(
            eq(memberships.communityId, communityId),
            eq(memberships.state, 'verified'),
            or(
              like(persons.displayName, pattern),
              like(memberships.statedName, pattern),
              like(sql`CONCAT(${buildings.name}, ${units.number})`, room),
            ),
          ),
        )
        .limit(CANDIDATES_MAX)
      const ids = residents.map((r) => r.personId)
      const phone = normalizePhone(term)
      if (phone) {
        const [byPhone] = await db
          .select({ id: persons.id })
          .from(persons)
          .where(eq(persons.phoneHash, app.protector.blindIndex(phone)))
        if (byPhone && !ids.includes(byPhone.id)) ids.unshift(byPhone.id)
      }
      if (ids.length === 0) return []
      const [people, names, held, homes] = await Promise.all([
        db.select({ id: persons.id, displayName: persons.displayName }).from(persons).where(inArray(persons.id, ids)),
        db
          .select({ personId: memberships.personId, statedName: memberships.statedName })
          .from(memberships)
          .where(
            and(
              eq(memberships.communityId, communityId),
              eq(memberships.state, 'verified'),
              inArray(memberships.personId, ids),
            ),
          ),
        db
          .select({ personId: communityRoles.personId, role: communityRoles.role })
          .from(communityRoles)
          .where(and(eq(communityRoles.communityId, communityId), inArray(communityRoles.personId, ids))),
        homesOf(db, communityId, ids),
      ])
      const byId = new Map(people.map((p) => [p.id, p]))
      return ids.flatMap((id) => {
        const p = byId.get(id)
        if (!p) return []
        return [
          {
            personId: id,
            displayName: p.displayName,
            statedName: names.find((n) => n.personId === id && n.statedName)?.statedName ?? null,
            homes: homes.get(id) ?? [],
            roles: held.filter((h) => h.personId === id).map((h) => h.role),
          },
        ]
      })
    },

    /**
     * Who appoints whom is shared/src/households/roles.ts (mayAppoint: workers appoint committee members, only a
     * platform admin appoints workers); who may be appointed too (eligibleFor: a committee member is a verified
     * owner here, 物业管理条例 第十六条).
     */
    async grantRole(actor: Appointer, communityId: number, personId: number, role: CommunityRole) {
      if (!mayAppoint(heldIn(actor, communityId), role))
        throw forbidden(
          role === 'worker'
            ? 'only a platform admin appoints community workers'
            : 'only a community worker or a platform admin appoints committee members',
        )
      await assertCommunity(communityId)
      const [p] = await db.select({ id: persons.id }).from(persons).where(eq(persons.id, personId))
      if (!p) throw notFound('person')
      const relations = (
        await db
          .select({ relation: memberships.relation })
          .from(memberships)
          .where(
            and(
              eq(memberships.personId, personId),
              eq(memberships.communityId, communityId),
              eq(memberships.state, 'verified'),
            ),
          )
      ).map((r) => r.relation)
      if (!eligibleFor(role, relations))
        throw new AppError(
          'ROLE_NOT_ELIGIBLE',
          'a committee member must be a verified owner or co-owner of this community',
        )
      await db.transaction(async (tx) => {
        try {
          await tx.insert(communityRoles).values({ communityId, personId, role, grantedBy: actor.personId })
        } catch (err) {
          if (isDuplicateKey(err)) throw new AppError('CONFLICT', 'role already granted')
          throw err
        }
        await appendAudit(tx, {
          stream: communityStream(communityId),
          action: 'role.granted',
          actorPersonId: actor.personId,
          subjectType: 'person',
          subjectId: personId,
          data: { role },
        })
      })
    },

    async revokeRole(actor: Appointer, communityId: number, personId: number, role: CommunityRole) {
      if (!mayAppoint(heldIn(actor, communityId), role))
        throw forbidden(
          role === 'worker'
            ? 'only a platform admin removes community workers'
            : 'only a community worker or a platform admin removes committee members',
        )
      await db.transaction(async (tx) => {
        const where = and(
          eq(communityRoles.communityId, communityId),
          eq(communityRoles.personId, personId),
          eq(communityRoles.role, role),
        )
        const [row] = await tx.select({ id: communityRoles.id }).from(communityRoles).where(where).for('update')
        if (!row) throw notFound('role')
        await tx.delete(communityRoles).where(eq(communityRoles.id, row.id))
        await appendAudit(tx, {
          stream: communityStream(communityId),
          action: 'role.revoked',
          actorPersonId: actor.personId,
          subjectType: 'person',
          subjectId: personId,
          data: { role },
        })
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
