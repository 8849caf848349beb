import { fileURLToPath } from 'node:url'
import { createConnection } from 'mysql2/promise'
import { drizzle } from 'drizzle-orm/mysql2'
import { migrate } from 'drizzle-orm/mysql2/migrator'

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../drizzle', import.meta.url))

/**
 * Applies the committed SQL migrations over one connection. A named lock makes it safe when several BFF
 * instances start at once: the second waits, then finds nothing left to do.
 */
export async function runMigrations(url: string): Promise<void> {
  const conn = await createConnection({ uri: url, timezone: 'Z', multipleStatements: false })
  try {
    const [rows] = await conn.query('SELECT GET_LOCK(?, 60) AS ok', ['linli_migrate'])
    if ((rows as { ok: number }[])[0]?.ok !== 1) throw new Error('could not take the migration lock within 60 s')
    try {
      await migrate(drizzle(conn), { migrationsFolder: MIGRATIONS_DIR })
    } finally {
      await conn.query('SELECT RELEASE_LOCK(?)', ['linli_migrate'])
    }
  } finally {
    await conn.end()
  }
}
