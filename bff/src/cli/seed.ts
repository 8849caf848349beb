import { buildApp } from '../app'
import { loadConfig } from '../config'
import { createDb } from '../db/client'
import { DataProtector } from '../lib/crypto'
import { seedDemo } from '../db/seed-demo'
import { seedDemoActivity } from '../db/seed-demo-activity'

// Seeds the demo community only when the database has no community yet (safe to run on every start), then
// sets things going in it through the real API (an open vote, repair requests, a notice).
const config = loadConfig()
if (config.isProduction) {
  console.error('[linli] refusing to seed demo data in production')
  process.exit(1)
}
const { db, pool } = createDb(config.databaseUrl, 2)
let seeded = false
try {
  const result = await seedDemo(db, new DataProtector(config.dataKey), config.wechat.appid)
  seeded = result.seeded
  console.log(
    result.seeded ? `[linli] demo data seeded: ${result.summary}` : '[linli] database already has data; seed skipped',
  )
} finally {
  await pool.end()
}
if (seeded) {
  // its own timers stay off: the BFF started next runs them (and delivers what this queued)
  const app = await buildApp(loadConfig({ ...process.env, SCHEDULER_ENABLED: 'false', LOG_LEVEL: 'warn' }), {
    logger: false,
  })
  try {
    await app.ready()
    console.log(`[linli] demo activity: ${await seedDemoActivity(app)}`)
  } finally {
    await app.close()
  }
}
