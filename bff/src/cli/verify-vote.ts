import { loadConfig } from '../config'
import { createDb } from '../db/client'
import { verifyVote } from '../modules/voting/verify'
import { cliArgs } from './args'

// `pnpm --filter @linli/bff votes:verify -- --vote <id>`: re-verify the audit chain and recount the ballots.
const { values } = cliArgs({ vote: { type: 'string' } }, 'usage: votes:verify --vote <id>')
const voteId = Number(values.vote)
if (!Number.isInteger(voteId) || voteId < 1) {
  console.error('usage: votes:verify --vote <id>')
  process.exit(64)
}
const config = loadConfig()
const { db, pool } = createDb(config.databaseUrl, 2)
try {
  const v = await verifyVote(db, voteId)
  console.log(
    `[linli] vote ${voteId}: audit chain ${v.chain.ok ? 'intact' : `BROKEN at event ${v.chain.brokenAt}`} (${v.chain.events} events, head ${v.chain.headHash.slice(0, 16)}…)`,
  )
  const b = v.ballots
  console.log(
    `[linli] vote ${voteId}: ${b.ballots} ballots, ${b.ok ? 'each in the chain once with its own hash' : `${b.mismatched} NOT MATCHING the chain`}${b.unchained ? `, ${b.unchained} not chained yet` : ''}`,
  )
  console.log(
    `[linli] vote ${voteId}: recount ${v.recountMatches ? 'equals the announced tally' : v.mismatches.length ? `DIFFERS on matters ${v.mismatches.join(', ')}` : 'not possible before the vote closes'}`,
  )
  process.exitCode = v.chain.ok && v.ballots.ok && v.recountMatches ? 0 : 1
} catch (err) {
  console.error(`[linli] ${(err as Error).message}`)
  process.exitCode = 1
} finally {
  await pool.end()
}
