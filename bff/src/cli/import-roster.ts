import { readFile } from 'node:fs/promises'
import { eq } from 'drizzle-orm'
import { loadConfig } from '../config'
import { cliArgs, callerPath } from './args'
import { createDb } from '../db/client'
import { communities } from '../db/schema'
import { DataProtector } from '../lib/crypto'
import { parseRosterCsv } from '../modules/roster'
import { importRoster } from '../modules/roster'

const { values, positionals } = cliArgs(
  { community: { type: 'string' } },
  'usage: roster:import --community <id> <roster.csv>',
)
const communityId = Number(values.community)
const file = positionals[0] === undefined ? undefined : callerPath(positionals[0])
if (!Number.isInteger(communityId) || communityId < 1 || !file) {
  console.error('usage: roster:import --community <id> <roster.csv>')
  process.exit(64)
}
const config = loadConfig()
const { db, pool } = createDb(config.databaseUrl, 2)
try {
  const [c] = await db.select().from(communities).where(eq(communities.id, communityId))
  if (!c) throw new Error(`community ${communityId} does not exist`)
  const parsed = parseRosterCsv(await readFile(file, 'utf8'))
  const report = await importRoster(db, new DataProtector(config.dataKey), {
    communityId,
    actorPersonId: null,
    source: `cli:${file}`,
    ...parsed,
  })
  console.log(
    `[linli] roster of ${c.name}: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected.length} rejected, ${report.verifiedMemberships} pending applications verified`,
  )
  for (const r of report.rejected) console.log(`  line ${r.line}: ${r.reason}`)
  process.exitCode = report.rejected.length ? 2 : 0
} catch (err) {
  console.error(`[linli] roster import failed: ${(err as Error).message}`)
  process.exitCode = 1
} finally {
  await pool.end()
}
