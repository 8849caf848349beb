import { and, asc, desc, eq, inArray, isNotNull, ne, type SQL } from 'drizzle-orm'
import type { Membership, MembershipApplication, MembershipProof, NameCheck, UnitRef } from '@linli/shared/schemas'
import { RELATIONS, canAutoVerifyByRoster, type VerificationState } from '@linli/shared/households/rules'
import type { ProofKind } from '@linli/shared/households/proof'
import { sameName } from '@linli/shared/households/names'
import { maskName, maskPhone } from '@linli/shared/privacy/mask'
import { buildings, communities, memberships, persons, rosterOwners, units } from '../../db/schema'
import type { DbOrTx } from '../../db/client'
import type { DataProtector } from '../../lib/crypto'
import type { PhotoService } from '../photos'

/** What the repository needs of the photos module: the proof photos of applications, as signed links. */
export type ProofPhotos = Pick<PhotoService, 'ofMany' | 'toPhoto'>

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
  statedName: memberships.statedName,
  proofKind: memberships.proofKind,
  createdAt: memberships.createdAt,
  personId: memberships.personId,
  unit: unitRefColumns,
}

type MembershipRow = Awaited<ReturnType<typeof withUnit>>[number]

/** The proof of each row that still has one (pending applications), by membership id. */
async function proofsOf(
  db: DbOrTx,
  photos: ProofPhotos,
  rows: { id: number; proofKind: ProofKind | null }[],
): Promise<Map<number, MembershipProof>> {
  const withProof = rows.filter((r) => r.proofKind !== null)
  const byId = new Map<number, MembershipProof>()
  if (withProof.length === 0) return byId
  const found = await photos.ofMany(
    db,
    'membershipId',
    withProof.map((r) => r.id),
  )
  for (const r of withProof) {
    const list = found.get(r.id) ?? []
    if (list.length > 0) byId.set(r.id, { kind: r.proofKind!, photos: list.map(photos.toPhoto) })
  }
  return byId
}

function toMembership({ personId: _p, proofKind: _k, ...m }: MembershipRow, proof: MembershipProof | null): Membership {
  return { ...m, proof, reviewedAt: m.reviewedAt?.toISOString() ?? null, createdAt: m.createdAt.toISOString() }
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

export async function listMembershipsOfPerson(
  db: DbOrTx,
  photos: ProofPhotos,
  personId: number,
): Promise<Membership[]> {
  const rows = await withUnit(db, eq(memberships.personId, personId)).orderBy(asc(memberships.createdAt))
  const proofs = await proofsOf(db, photos, rows)
  return rows.map((r) => toMembership(r, proofs.get(r.id) ?? null))
}

export async function getMembershipOfPerson(
  db: DbOrTx,
  photos: ProofPhotos,
  personId: number,
  id: number,
): Promise<Membership | undefined> {
  const [row] = await withUnit(db, and(eq(memberships.id, id), eq(memberships.personId, personId)))
  if (!row) return undefined
  const proofs = await proofsOf(db, photos, [row])
  return toMembership(row, proofs.get(row.id) ?? null)
}

function nameCheck(stated: string | null, rosterNames: string[]): NameCheck {
  if (!stated) return 'no_name'
  if (rosterNames.length === 0) return 'no_roster'
  return rosterNames.some((n) => sameName(stated, n)) ? 'match' : 'mismatch'
}

/**
 * Reviewer's view: every query is scoped by the community the reviewer acts in. Beside each application: the
 * roster owners of its unit (masked), whether the stated name is one of theirs, its proof photos (signed links,
 * while pending), and everyone else claiming or holding that unit, so competing claims are seen together.
 */
export async function listApplications(
  db: DbOrTx,
  protector: DataProtector,
  photos: ProofPhotos,
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
  const [people, owners, others, proofs] = await Promise.all([
    db
      .select({ id: persons.id, displayName: persons.displayName, phoneEnc: persons.phoneEnc })
      .from(persons)
      .where(inArray(persons.id, personIds)),
    db
      .select({ unitId: rosterOwners.unitId, name: rosterOwners.name, phoneEnc: rosterOwners.phoneEnc })
      .from(rosterOwners)
      .where(inArray(rosterOwners.unitId, unitIds))
      .orderBy(asc(rosterOwners.unitId), asc(rosterOwners.position)),
    db
      .select({
        membershipId: memberships.id,
        unitId: memberships.unitId,
        displayName: persons.displayName,
        statedName: memberships.statedName,
        relation: memberships.relation,
        state: memberships.state,
        createdAt: memberships.createdAt,
      })
      .from(memberships)
      .innerJoin(persons, eq(persons.id, memberships.personId))
      .where(
        and(
          eq(memberships.communityId, communityId),
          inArray(memberships.unitId, unitIds),
          ne(memberships.state, 'rejected'),
        ),
      )
      .orderBy(asc(memberships.createdAt)),
    proofsOf(
      db,
      photos,
      rows.filter((r) => r.state === 'pending'),
    ),
  ])
  const personById = new Map(people.map((p) => [p.id, p]))
  const maskedPhone = (enc: string | null) => (enc ? maskPhone(protector.decrypt(enc)) : null)
  return rows.map((r) => {
    const p = personById.get(r.personId)
    const unitOwners = owners.filter((o) => o.unitId === r.unit.id)
    return {
      id: r.id,
      unit: r.unit,
      relation: r.relation,
      state: r.state,
      rejectReason: r.rejectReason,
      createdAt: r.createdAt.toISOString(),
      applicant: {
        displayName: p?.displayName ?? '',
        statedName: r.statedName,
        phoneMasked: maskedPhone(p?.phoneEnc ?? null),
      },
      nameCheck: nameCheck(
        r.statedName,
        unitOwners.map((o) => o.name),
      ),
      rosterOwners: unitOwners.map((o) => ({ nameMasked: maskName(o.name), phoneMasked: maskedPhone(o.phoneEnc) })),
      proof: proofs.get(r.id) ?? null,
      unitMembers: others
        .filter((o) => o.unitId === r.unit.id && o.membershipId !== r.id)
        .map(({ unitId: _u, ...o }) => ({
          ...o,
          state: o.state as 'pending' | 'verified',
          createdAt: o.createdAt.toISOString(),
        })),
    }
  })
}

const ROSTER_VERIFIABLE = RELATIONS.filter(canAutoVerifyByRoster)

/** Pending owner applications whose applicant's bound phone is listed for that unit on the roster. */
export async function pendingRosterMatches(
  db: DbOrTx,
  scope: { personId?: number; unitIds?: number[] },
): Promise<{ id: number; communityId: number; personId: number; unitId: number }[]> {
  if (scope.unitIds && scope.unitIds.length === 0) return []
  return db
    .selectDistinct({
      id: memberships.id,
      communityId: memberships.communityId,
      personId: memberships.personId,
      unitId: memberships.unitId,
    })
    .from(memberships)
    .innerJoin(persons, eq(persons.id, memberships.personId))
    .innerJoin(
      rosterOwners,
      and(eq(rosterOwners.unitId, memberships.unitId), eq(rosterOwners.phoneHash, persons.phoneHash)),
    )
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
