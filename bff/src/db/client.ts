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

/** InnoDB chose this transaction as a deadlock victim: it was rolled back whole and may simply run again. */
export function isDeadlock(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; cause?: { code?: string; errno?: number } }
  return (
    e?.errno === 1213 ||
    e?.code === 'ER_LOCK_DEADLOCK' ||
    e?.cause?.errno === 1213 ||
    e?.cause?.code === 'ER_LOCK_DEADLOCK'
  )
}

/**
 * Runs a transaction again when InnoDB rolls it back as a deadlock victim (two requests racing on the same rows,
 * e.g. a uniqueness check's gap lock queued behind a waiting row lock); after `attempts` it gives up and the
 * error handler answers 503 with Retry-After.
 */
export async function retryOnDeadlock<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run()
    } catch (err) {
      if (i >= attempts || !isDeadlock(err)) throw err
    }
  }
}
