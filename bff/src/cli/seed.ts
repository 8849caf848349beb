import { loadConfig } from '../config'
import { createDb } from '../db/client'
import { DataProtector } from '../lib/crypto'
import { seedDemo } from '../db/seed-demo'

// Seeds the demo community only when the database has no community yet (safe to run on every start).
const config = loadConfig()
if (config.isProduction) {
  console.error('[linli] refusing to seed demo data in production')
  process.exit(1)
}
const { db, pool } = createDb(config.databaseUrl, 2)
try {
  const result = await seedDemo(db, new DataProtector(config.dataKey), config.wechat.appid)
  console.log(result.seeded ? `[linli] demo data seeded: ${result.summary}` : '[linli] database already has data; seed skipped')
} finally {
  await pool.end()
}
