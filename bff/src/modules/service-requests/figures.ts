import { sql, type SQL } from 'drizzle-orm'
import type { ServiceFigures } from '@linli/shared/schemas'
import { meanCenti, shareBasisPoints } from '@linli/shared/service-requests/sla'
import type { DbOrTx } from '../../db/client'

/**
 * 公众评价机制: the service figures, computed in SQL over the requests filed since `since`. Medians are exact on
 * MariaDB and MySQL 8 alike (neither MEDIAN() nor PERCENTILE_CONT exists in both): rows numbered in order, then
 * the middle one, or the mean of the middle two.
 */
export type FiguresScope = { communityId: number } | { propertyCompanyId: number }

function scopeSql(scope: FiguresScope, since: Date): SQL {
  const who =
    'communityId' in scope
      ? sql`community_id = ${scope.communityId}`
      : sql`property_company_id = ${scope.propertyCompanyId} AND handler = 'property'`
  return sql`${who} AND created_at >= ${since}`
}

type Rows<T> = [T[]]
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v))

async function medianSeconds(
  db: DbOrTx,
  where: SQL,
  column: 'accepted_at' | 'first_resolved_at',
): Promise<number | null> {
  const col = sql.raw(column)
  const [rows] = (await db.execute(sql`
    SELECT AVG(v) AS m, MAX(n) AS n FROM (
      SELECT v, ROW_NUMBER() OVER (ORDER BY v) AS rn, COUNT(*) OVER () AS n
      FROM (SELECT TIMESTAMPDIFF(SECOND, created_at, ${col}) AS v FROM service_requests WHERE ${where} AND ${col} IS NOT NULL) d
    ) r
    WHERE rn IN (FLOOR((n + 1) / 2), FLOOR((n + 2) / 2))`)) as unknown as Rows<{
    m: string | number | null
    n: number | null
  }>
  const m = rows[0]?.m
  return m === null || m === undefined ? null : Number(m)
}

export async function serviceFigures(db: DbOrTx, scope: FiguresScope, since: Date): Promise<ServiceFigures> {
  const where = scopeSql(scope, since)
  const [[totals], medianAccept, medianResolve] = await Promise.all([
    db
      .execute(
        sql`SELECT
              COUNT(*) AS requests,
              COUNT(accepted_at) AS accepted,
              COUNT(first_resolved_at) AS resolved,
              COALESCE(SUM(on_time = 1), 0) AS on_time,
              COUNT(on_time) AS on_time_of,
              COALESCE(SUM(first_resolved_at IS NOT NULL AND reopen_count > 0), 0) AS reopened,
              COUNT(rated_at) AS rated,
              COALESCE(SUM(rating_overall), 0) AS overall,
              COALESCE(SUM(rating_speed), 0) AS speed,
              COALESCE(SUM(rating_attitude), 0) AS attitude
            FROM service_requests WHERE ${where}`,
      )
      .then((r) => (r as unknown as Rows<Record<string, unknown>>)[0]),
    medianSeconds(db, where, 'accepted_at'),
    medianSeconds(db, where, 'first_resolved_at'),
  ])
  const t = totals ?? {}
  const rated = num(t.rated)
  const rating = (sum: number) => ({ sum, mean: meanCenti(sum, rated) })
  return {
    requests: num(t.requests),
    accepted: num(t.accepted),
    resolved: num(t.resolved),
    medianAcceptSeconds: medianAccept,
    medianResolveSeconds: medianResolve,
    onTime: {
      count: num(t.on_time),
      of: num(t.on_time_of),
      basisPoints: shareBasisPoints(num(t.on_time), num(t.on_time_of)),
    },
    reopened: {
      count: num(t.reopened),
      of: num(t.resolved),
      basisPoints: shareBasisPoints(num(t.reopened), num(t.resolved)),
    },
    ratings: {
      count: rated,
      overall: rating(num(t.overall)),
      speed: rating(num(t.speed)),
      attitude: rating(num(t.attitude)),
    },
  }
}
