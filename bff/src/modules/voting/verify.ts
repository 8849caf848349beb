import { asc, eq } from 'drizzle-orm'
import { votes, voteTallies } from '../../db/schema'
import type { DbOrTx } from '../../db/client'
import { canonicalJson } from '../../lib/canonical-json'
import { verifyStream } from '../audit'
import { ballotsInChain } from './ballots'
import { computeResults, voteStream } from './service'

export interface VoteVerification {
  chain: Awaited<ReturnType<typeof verifyStream>>
  /** every ballot is in the chain exactly once, with its own hash (after the close none may be missing) */
  ballots: Awaited<ReturnType<typeof ballotsInChain>> & { ok: boolean }
  /** the recount from the ballots equals the stored (announced) tally, matter by matter */
  recountMatches: boolean
  mismatches: number[]
}

/** Re-verifies a vote from scratch: the hash chain of its audit log, its ballots in that chain, and a recount. */
export async function verifyVote(db: DbOrTx, voteId: number): Promise<VoteVerification> {
  const [vote] = await db.select().from(votes).where(eq(votes.id, voteId))
  if (!vote) throw new Error(`vote ${voteId} does not exist`)
  const closed = vote.state === 'closed' || vote.state === 'announced'
  const chain = await verifyStream(db, voteStream(voteId))
  const inChain = await ballotsInChain(db, voteId, voteStream(voteId))
  // while the vote is open, the newest ballots may still wait (a second or so) for the chainer
  const ballots = { ...inChain, ok: inChain.mismatched === 0 && (!closed || inChain.unchained === 0) }
  if (!closed) return { chain, ballots, recountMatches: false, mismatches: [] }
  const [recount, stored] = await Promise.all([
    computeResults(db, vote),
    db.select().from(voteTallies).where(eq(voteTallies.voteId, voteId)).orderBy(asc(voteTallies.matterId)),
  ])
  const mismatches: number[] = []
  for (const r of recount) {
    const official = stored.find((s) => s.matterId === r.matterId && s.kind === 'official')
    const second = stored.find((s) => s.matterId === r.matterId && s.kind === 'non_voters_follow_majority')
    const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v)
    const same =
      official &&
      canonicalJson(parse(official.figures)) === canonicalJson(r.official) &&
      canonicalJson(second ? parse(second.figures) : null) === canonicalJson(r.nonVotersFollowMajority)
    if (!same) mismatches.push(r.matterId)
  }
  return { chain, ballots, recountMatches: mismatches.length === 0 && recount.length > 0, mismatches }
}
