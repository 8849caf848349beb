import { and, asc, desc, eq, inArray, isNotNull, type SQL } from 'drizzle-orm'
import type { Membership, MembershipApplication, UnitRef } from '@linli/shared/schemas'
import { RELATIONS, canAutoVerifyByRoster, type VerificationState } from '@linli/shared/households/rules'
import { maskName, maskPhone } from '@linli/shared/privacy/mask'
import { buildings, communities, memberships, persons, rosterOwners, units } from '../../db/schema'
import type { DbOrTx } from '../../db/client'
import type { DataProtector } from '../../lib/crypto'

const unitRefColumns = {
  id: units.id,
  number: units.number,
  kind: units.kind,
  buildingId: buildings.id,
  buildingName: buildings.name,
  communityId: communities.id,
  communityName: communities.name,
}

const membershipColumns = {
  id: memberships.id,
  relation: memberships.relation,
  state: memberships.state,
  method: memberships.method,
  reviewedAt: memberships.reviewedAt,
  rejectReason: memberships.rejectReason,
  createdAt: memberships.createdAt,
  personId: memberships.personId,
  unit: unitRefColumns,
}

type MembershipRow = Awaited<ReturnType<typeof withUnit>>[number]

function toMembership({ personId: _p, ...m }: MembershipRow): Membership {
  return { ...m, reviewedAt: m.reviewedAt?.toISOString() ?? null, createdAt: m.createdAt.toISOString() }
}

function withUnit(db: DbOrTx, where: SQL | undefined) {
  return db
    .select(membershipColumns)
    .from(memberships)
    .innerJoin(units, eq(units.id, memberships.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .innerJoin(communities, eq(communities.id, units.communityId))
    .where(where)
}

export async function findUnitRef(db: DbOrTx, unitId: number): Promise<UnitRef | undefined> {
  const [row] = await db
    .select(unitRefColumns)
    .from(units)
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .innerJoin(communities, eq(communities.id, units.communityId))
    .where(eq(units.id, unitId))
  return row
}

export async function listMembershipsOfPerson(db: DbOrTx, personId: number): Promise<Membership[]> {
  const rows = await withUnit(db, eq(memberships.personId, personId)).orderBy(asc(memberships.createdAt))
  return rows.map(toMembership)
}

export async function getMembershipOfPerson(db: DbOrTx, personId: number, id: number): Promise<Membership | undefined> {
  const [row] = await withUnit(db, and(eq(memberships.id, id), eq(memberships.personId, personId)))
  return row ? toMembership(row) : undefined
}

/** Reviewer's view: every query is scoped by the community the reviewer acts in. */
export async function listApplications(
  db: DbOrTx,
  protector: DataProtector,
  communityId: number,
  filter: { state?: VerificationState; ids?: number[] },
): Promise<MembershipApplication[]> {
  const rows = await withUnit(
    db,
    and(
      eq(memberships.communityId, communityId),
      filter.state ? eq(memberships.state, filter.state) : undefined,
      filter.ids ? inArray(memberships.id, filter.ids) : undefined,
    ),
  ).orderBy(desc(memberships.createdAt))
  if (rows.length === 0) return []
  const personIds = [...new Set(rows.map((r) => r.personId))]
  const unitIds = [...new Set(rows.map((r) => r.unit.id))]
  const [people, owners] = await Promise.all([
    db.select({ id: persons.id, displayName: persons.displayName, phoneEnc: persons.phoneEnc }).from(persons).where(inArray(persons.id, personIds)),
    db
      .select({ unitId: rosterOwners.unitId, name: rosterOwners.name, phoneEnc: rosterOwners.phoneEnc })
      .from(rosterOwners)
      .where(inArray(rosterOwners.unitId, unitIds))
      .orderBy(asc(rosterOwners.unitId), asc(rosterOwners.position)),
  ])
  const personById = new Map(people.map((p) => [p.id, p]))
  const maskedPhone = (enc: string | null) => (enc ? maskPhone(protector.decrypt(enc)) : null)
  return rows.map((r) => {
    const p = personById.get(r.personId)
    return {
      id: r.id,
      unit: r.unit,
      relation: r.relation,
      state: r.state,
      rejectReason: r.rejectReason,
      createdAt: r.createdAt.toISOString(),
      applicant: { displayName: p?.displayName ?? '', phoneMasked: maskedPhone(p?.phoneEnc ?? null) },
      rosterOwners: owners.filter((o) => o.unitId === r.unit.id).map((o) => ({ nameMasked: maskName(o.name), phoneMasked: maskedPhone(o.phoneEnc) })),
    }
  })
}

const ROSTER_VERIFIABLE = RELATIONS.filter(canAutoVerifyByRoster)

/** Pending owner applications whose applicant's bound phone is listed for that unit on the roster. */
export async function pendingRosterMatches(db: DbOrTx, scope: { personId?: number; unitIds?: number[] }): Promise<{ id: number; communityId: number; personId: number; unitId: number }[]> {
  if (scope.unitIds && scope.unitIds.length === 0) return []
  return db
    .selectDistinct({ id: memberships.id, communityId: memberships.communityId, personId: memberships.personId, unitId: memberships.unitId })
    .from(memberships)
    .innerJoin(persons, eq(persons.id, memberships.personId))
    .innerJoin(rosterOwners, and(eq(rosterOwners.unitId, memberships.unitId), eq(rosterOwners.phoneHash, persons.phoneHash)))
    .where(
      and(
        eq(memberships.state, 'pending'),
        inArray(memberships.relation, ROSTER_VERIFIABLE),
        isNotNull(persons.phoneHash),
        scope.personId ? eq(memberships.personId, scope.personId) : undefined,
        scope.unitIds ? inArray(memberships.unitId, scope.unitIds) : undefined,
      ),
    )
}

/** How many applications wait for review in these communities (what waits for a reviewer, 待办). */
export async function countPendingApplications(db: DbOrTx, communityIds: number[]): Promise<number> {
  if (communityIds.length === 0) return 0
  return db.$count(memberships, and(inArray(memberships.communityId, communityIds), eq(memberships.state, 'pending')))
}
