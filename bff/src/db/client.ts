import { createPool, type Pool } from 'mysql2/promise'
import { drizzle, type MySql2Database } from 'drizzle-orm/mysql2'
import * as schema from './schema'

export type Db = MySql2Database<typeof schema>
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
/** Repositories take either, so a use case can compose them inside one transaction. */
export type DbOrTx = Db | Tx

export function createDb(url: string, connectionLimit = 10): { db: Db; pool: Pool } {
  const pool = createPool({
    uri: url,
    connectionLimit,
    timezone: 'Z',
    charset: 'utf8mb4',
    // JSON columns come back as text from MariaDB; drizzle parses them
    supportBigNumbers: true,
    // no stack capture per query (a measurable share of the CPU of every request); errors keep their codes
    trace: false,
  })
  return { db: drizzle(pool, { schema, mode: 'default' }), pool }
}

/** MySQL / MariaDB duplicate-key error (a unique constraint did its job). */
export function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; cause?: { code?: string } }
  return e?.code === 'ER_DUP_ENTRY' || e?.errno === 1062 || e?.cause?.code === 'ER_DUP_ENTRY'
}
