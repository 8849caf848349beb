import { randomBytes } from 'node:crypto'
import { createConnection } from 'mysql2/promise'
import { runMigrations } from '@linli/bff/db/migrate'
import { TEST_DATABASE_URL } from './env'

/**
 * Each test file gets its own freshly migrated database (`linli_test_<random>`), so files run in parallel
 * with no order dependence, against the real server.
 */
export async function createTestDatabase(
  opts: { migrate?: boolean } = {},
): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const base = new URL(TEST_DATABASE_URL)
  const name = `linli_test_${randomBytes(5).toString('hex')}`
  const admin = await createConnection({
    host: base.hostname,
    port: Number(base.port || 3306),
    user: decodeURIComponent(base.username),
    password: decodeURIComponent(base.password),
  })
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
  await admin.end()
  const url = new URL(TEST_DATABASE_URL)
  url.pathname = `/${name}`
  if (opts.migrate !== false) await runMigrations(url.toString())
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = await createConnection({
        host: base.hostname,
        port: Number(base.port || 3306),
        user: decodeURIComponent(base.username),
        password: decodeURIComponent(base.password),
      })
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``)
      await c.end()
    },
  }
}
