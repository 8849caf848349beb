import { and, asc, eq } from 'drizzle-orm'
import type { RosterImportReport, RosterUnit } from '@linli/shared/schemas'
import { maskName, maskPhone } from '@linli/shared/privacy/mask'
import { buildings, memberships, rosterOwners, units } from '../../db/schema'
import type { Db } from '../../db/client'
import type { DataProtector } from '../../lib/crypto'
import { appendAudit, communityStream } from '../audit'
import { verifyPendingByRoster } from '../households'
import { foldName, unitKey, type Rejection, type RosterUnitInput } from './parse'

/**
 * The one roster import path (CSV command, committee upload, and later the property companies' webhook).
 * Idempotent: importing the same roster twice changes nothing the second time. All valid lines are applied in
 * one transaction; invalid lines are reported with their line numbers and change nothing.
 */
export async function importRoster(
  db: Db,
  protector: DataProtector,
  input: {
    communityId: number
    actorPersonId: number | null
    source: string
    units: RosterUnitInput[]
    rejected: Rejection[]
  },
): Promise<RosterImportReport> {
  const { communityId } = input
  return db.transaction(async (tx) => {
    const report: RosterImportReport = {
      created: 0,
      updated: 0,
      unchanged: 0,
      rejected: [...input.rejected],
      verifiedMemberships: 0,
    }

    const buildingIds = new Map(
      (await tx.select().from(buildings).where(eq(buildings.communityId, communityId))).map((b) => [
        foldName(b.name),
        b.id,
      ]),
    )
    const existingUnits = await tx.select().from(units).where(eq(units.communityId, communityId))
    const unitByKey = new Map(existingUnits.map((u) => [unitKey(u.buildingId, u.number), u]))
    const ownerRows = existingUnits.length
      ? await tx
          .select()
          .from(rosterOwners)
          .where(eq(rosterOwners.communityId, communityId))
          .orderBy(asc(rosterOwners.unitId), asc(rosterOwners.position))
      : []
    const ownersByUnit = new Map<number, { name: string; phoneHash: string | null }[]>()
    for (const o of ownerRows)
      ownersByUnit.set(o.unitId, [...(ownersByUnit.get(o.unitId) ?? []), { name: o.name, phoneHash: o.phoneHash }])

    const touched: number[] = []
    for (const u of input.units) {
      let buildingId = buildingIds.get(foldName(u.building))
      if (buildingId === undefined) {
        const [res] = await tx.insert(buildings).values({ communityId, name: u.building }).$returningId()
        buildingId = res!.id
        buildingIds.set(foldName(u.building), buildingId)
      }
      const owners = u.owners.map((o, position) => ({
        communityId,
        position,
        name: o.name,
        phoneEnc: o.phone ? protector.encrypt(o.phone) : null,
        phoneHash: o.phone ? protector.blindIndex(o.phone) : null,
      }))
      const existing = unitByKey.get(unitKey(buildingId, u.unit))
      if (!existing) {
        const [res] = await tx
          .insert(units)
          .values({
            communityId,
            buildingId,
            number: u.unit,
            kind: u.kind,
            areaCenti: u.areaCenti,
            areaSource: u.areaSource,
            developerHeld: u.developerHeld ?? false,
          })
          .$returningId()
        if (owners.length) await tx.insert(rosterOwners).values(owners.map((o) => ({ ...o, unitId: res!.id })))
        unitByKey.set(unitKey(buildingId, u.unit), {
          id: res!.id,
          communityId,
          buildingId,
          number: u.unit,
          kind: u.kind,
          areaCenti: u.areaCenti,
          areaSource: u.areaSource,
          developerHeld: u.developerHeld ?? false,
          createdAt: new Date(),
          updatedAt: new Date(),
        })
        ownersByUnit.set(
          res!.id,
          owners.map((o) => ({ name: o.name, phoneHash: o.phoneHash })),
        )
        touched.push(res!.id)
        report.created++
        continue
      }
      const before = ownersByUnit.get(existing.id) ?? []
      const sameOwners =
        before.length === owners.length &&
        before.every((b, i) => b.name === owners[i]!.name && b.phoneHash === owners[i]!.phoneHash)
      const developerHeld = u.developerHeld ?? false
      const sameUnit =
        existing.kind === u.kind &&
        existing.areaCenti === u.areaCenti &&
        existing.areaSource === u.areaSource &&
        existing.developerHeld === developerHeld
      if (sameOwners && sameUnit) {
        report.unchanged++
        continue
      }
      if (!sameUnit)
        await tx
          .update(units)
          .set({ kind: u.kind, areaCenti: u.areaCenti, areaSource: u.areaSource, developerHeld })
          .where(eq(units.id, existing.id))
      if (!sameOwners) {
        await tx.delete(rosterOwners).where(eq(rosterOwners.unitId, existing.id))
        if (owners.length) await tx.insert(rosterOwners).values(owners.map((o) => ({ ...o, unitId: existing.id })))
      }
      touched.push(existing.id)
      report.updated++
    }

    report.verifiedMemberships = await verifyPendingByRoster(tx, { unitIds: touched })
    if (report.created || report.updated || report.rejected.length) {
      await appendAudit(tx, {
        stream: communityStream(communityId),
        action: 'roster.imported',
        actorPersonId: input.actorPersonId,
        subjectType: 'community',
        subjectId: communityId,
        data: {
          source: input.source,
          created: report.created,
          updated: report.updated,
          unchanged: report.unchanged,
          rejected: report.rejected.length,
        },
      })
    }
    return report
  })
}

/** Committee view of the roster: areas with their source, owners masked, how many verified members. */
export async function listRoster(db: Db, protector: DataProtector, communityId: number): Promise<RosterUnit[]> {
  const rows = await db
    .select({
      id: units.id,
      buildingName: buildings.name,
      number: units.number,
      kind: units.kind,
      areaCenti: units.areaCenti,
      areaSource: units.areaSource,
    })
    .from(units)
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(eq(units.communityId, communityId))
    .orderBy(asc(buildings.name), asc(units.number))
  if (rows.length === 0) return []
  const [owners, members] = await Promise.all([
    db
      .select()
      .from(rosterOwners)
      .where(eq(rosterOwners.communityId, communityId))
      .orderBy(asc(rosterOwners.unitId), asc(rosterOwners.position)),
    db
      .select({ unitId: memberships.unitId })
      .from(memberships)
      .where(and(eq(memberships.communityId, communityId), eq(memberships.state, 'verified'))),
  ])
  const ownersOf = new Map<number, RosterUnit['owners']>()
  for (const o of owners) {
    const masked = {
      nameMasked: maskName(o.name),
      phoneMasked: o.phoneEnc ? maskPhone(protector.decrypt(o.phoneEnc)) : null,
    }
    ownersOf.set(o.unitId, [...(ownersOf.get(o.unitId) ?? []), masked])
  }
  const verified = new Map<number, number>()
  for (const m of members) verified.set(m.unitId, (verified.get(m.unitId) ?? 0) + 1)
  return rows.map((r) => ({
    ...r,
    owners: ownersOf.get(r.id) ?? [],
    verifiedMembers: verified.get(r.id) ?? 0,
  }))
}
