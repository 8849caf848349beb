import { asc, eq } from 'drizzle-orm'
import { votes, voteTallies } from '../../db/schema'
import type { DbOrTx } from '../../db/client'
import { canonicalJson } from '../../lib/canonical-json'
import { verifyStream } from '../audit/service'
import { computeResults, voteStream } from './service'

export interface VoteVerification {
  chain: Awaited<ReturnType<typeof verifyStream>>
  /** the recount from the ballots equals the stored (announced) tally, matter by matter */
  recountMatches: boolean
  mismatches: number[]
}

/** Re-verifies a vote from scratch: the hash chain of its audit log, and a recount of its ballots. */
export async function verifyVote(db: DbOrTx, voteId: number): Promise<VoteVerification> {
  const [vote] = await db.select().from(votes).where(eq(votes.id, voteId))
  if (!vote) throw new Error(`vote ${voteId} does not exist`)
  const chain = await verifyStream(db, voteStream(voteId))
  if (vote.state !== 'closed' && vote.state !== 'announced') return { chain, recountMatches: false, mismatches: [] }
  const [recount, stored] = await Promise.all([
    computeResults(db, vote),
    db.select().from(voteTallies).where(eq(voteTallies.voteId, voteId)).orderBy(asc(voteTallies.matterId)),
  ])
  const mismatches: number[] = []
  for (const r of recount) {
    const official = stored.find((s) => s.matterId === r.matterId && s.kind === 'official')
    const second = stored.find((s) => s.matterId === r.matterId && s.kind === 'non_voters_follow_majority')
    const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v)
    const same = official && canonicalJson(parse(official.figures)) === canonicalJson(r.official) && canonicalJson(second ? parse(second.figures) : null) === canonicalJson(r.nonVotersFollowMajority)
    if (!same) mismatches.push(r.matterId)
  }
  return { chain, recountMatches: mismatches.length === 0 && recount.length > 0, mismatches }
}
