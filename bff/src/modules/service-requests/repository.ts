import { and, asc, desc, eq, gte, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm'
import { DEFAULT_CATEGORIES } from '@linli/shared/service-requests/labels'
import type { AttributeDef } from '@linli/shared/service-requests/attributes'
import {
  buildings,
  communityPropertyContracts,
  communityRoles,
  persons,
  photos,
  propertyCompanies,
  serviceRequests,
  srCategories,
  srEvents,
  srFollowers,
  units,
} from '../../db/schema'
import type { DbOrTx, Tx } from '../../db/client'

export type SrRow = typeof serviceRequests.$inferSelect
export type CategoryRow = typeof srCategories.$inferSelect
export type EventRow = typeof srEvents.$inferSelect

export const parseJson = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v)

/** Today in China: contracts are calendar dates (北京时间). */
export const chinaToday = (now = Date.now()) => new Date(now + 8 * 3_600_000).toISOString().slice(0, 10)

/** The property company whose contract with the community is in force today, if any. */
export async function currentPropertyCompany(
  db: DbOrTx,
  communityId: number,
): Promise<{ id: number; name: string } | null> {
  const today = chinaToday()
  const [row] = await db
    .select({ id: propertyCompanies.id, name: propertyCompanies.name })
    .from(communityPropertyContracts)
    .innerJoin(propertyCompanies, eq(propertyCompanies.id, communityPropertyContracts.propertyCompanyId))
    .where(
      and(
        eq(communityPropertyContracts.communityId, communityId),
        lte(communityPropertyContracts.startsOn, today),
        or(isNull(communityPropertyContracts.endsOn), gte(communityPropertyContracts.endsOn, today)),
      ),
    )
    .orderBy(desc(communityPropertyContracts.startsOn), desc(communityPropertyContracts.id))
    .limit(1)
  return row ?? null
}

/** A community with no categories gets the defaults (idempotent: the unique name keeps concurrent calls apart). */
export async function ensureDefaultCategories(db: DbOrTx, communityId: number): Promise<void> {
  const [existing] = await db
    .select({ id: srCategories.id })
    .from(srCategories)
    .where(eq(srCategories.communityId, communityId))
    .limit(1)
  if (existing) return
  await db
    .insert(srCategories)
    .values(
      DEFAULT_CATEGORIES.map((c, i) => ({
        communityId,
        name: c.name,
        handler: c.handler,
        urgency: c.urgency,
        acceptMinutes: c.acceptMinutes,
        resolveMinutes: c.resolveMinutes,
        attributes: c.attributes,
        position: (i + 1) * 10,
      })),
    )
    .onDuplicateKeyUpdate({ set: { name: sql`${srCategories.name}` } })
}

export async function listCategories(
  db: DbOrTx,
  communityId: number,
  includeInactive: boolean,
): Promise<CategoryRow[]> {
  const rows = await db
    .select()
    .from(srCategories)
    .where(and(eq(srCategories.communityId, communityId), includeInactive ? undefined : eq(srCategories.active, true)))
    .orderBy(asc(srCategories.position), asc(srCategories.id))
  return rows.map((r) => ({ ...r, attributes: parseJson<AttributeDef[]>(r.attributes) }))
}

export async function getCategory(
  db: DbOrTx,
  communityId: number,
  categoryId: number,
): Promise<CategoryRow | undefined> {
  const [row] = await db
    .select()
    .from(srCategories)
    .where(and(eq(srCategories.id, categoryId), eq(srCategories.communityId, communityId)))
  return row ? { ...row, attributes: parseJson<AttributeDef[]>(row.attributes) } : undefined
}

/** The request row, locked for the rest of the transaction; scoped by community (or the communities of an integration). */
export async function lockRequest(
  tx: Tx,
  requestId: number,
  communityIds: number | number[],
): Promise<SrRow | undefined> {
  const scope = Array.isArray(communityIds)
    ? communityIds.length
      ? inArray(serviceRequests.communityId, communityIds)
      : sql`FALSE`
    : eq(serviceRequests.communityId, communityIds)
  const [row] = await tx
    .select()
    .from(serviceRequests)
    .where(and(eq(serviceRequests.id, requestId), scope))
    .for('update')
  return row
}

/** The committee members and community workers of a community: the handler side for committee-handled requests. */
export async function committeeAndWorkers(db: DbOrTx, communityId: number): Promise<number[]> {
  const rows = await db
    .selectDistinct({ personId: communityRoles.personId })
    .from(communityRoles)
    .where(and(eq(communityRoles.communityId, communityId), inArray(communityRoles.role, ['committee', 'worker'])))
  return rows.map((r) => r.personId)
}

export async function followerIds(db: DbOrTx, requestId: number): Promise<number[]> {
  return (
    await db.select({ personId: srFollowers.personId }).from(srFollowers).where(eq(srFollowers.requestId, requestId))
  ).map((r) => r.personId)
}

export async function isFollower(db: DbOrTx, requestId: number, personId: number): Promise<boolean> {
  const [row] = await db
    .select({ personId: srFollowers.personId })
    .from(srFollowers)
    .where(and(eq(srFollowers.requestId, requestId), eq(srFollowers.personId, personId)))
  return Boolean(row)
}

export async function eventsOf(db: DbOrTx, requestIds: number[]): Promise<(EventRow & { actorName: string | null })[]> {
  if (requestIds.length === 0) return []
  const rows = await db
    .select({ e: srEvents, actorName: persons.displayName })
    .from(srEvents)
    .leftJoin(persons, eq(persons.id, srEvents.actorPersonId))
    .where(inArray(srEvents.requestId, requestIds))
    .orderBy(asc(srEvents.requestId), asc(srEvents.seq))
  return rows.map((r) => ({ ...r.e, actorName: r.actorName }))
}

/** Rows for summaries and details: the request with its category, building and unit, counts, and whether `viewerId` follows it. */
export function requestRows(db: DbOrTx, viewerId: number, where: SQL | undefined) {
  return db
    .select({
      r: serviceRequests,
      categoryName: srCategories.name,
      categoryUrgency: srCategories.urgency,
      categoryAttributes: srCategories.attributes,
      buildingName: buildings.name,
      unitNumber: units.number,
      photoCount:
        sql<number>`(SELECT COUNT(*) FROM ${photos} WHERE ${photos.requestId} = ${serviceRequests.id})`.mapWith(Number),
      followerCount:
        sql<number>`(SELECT COUNT(*) FROM ${srFollowers} WHERE ${srFollowers.requestId} = ${serviceRequests.id})`.mapWith(
          Number,
        ),
      following:
        sql<number>`EXISTS (SELECT 1 FROM ${srFollowers} WHERE ${srFollowers.requestId} = ${serviceRequests.id} AND ${srFollowers.personId} = ${viewerId})`.mapWith(
          Number,
        ),
    })
    .from(serviceRequests)
    .innerJoin(srCategories, eq(srCategories.id, serviceRequests.categoryId))
    .leftJoin(buildings, eq(buildings.id, serviceRequests.buildingId))
    .leftJoin(units, eq(units.id, serviceRequests.unitId))
    .where(where)
}
export type RequestRow = Awaited<ReturnType<typeof requestRows>>[number]
