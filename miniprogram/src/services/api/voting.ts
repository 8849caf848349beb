import type {
  BallotReceipt,
  CastBallotBody,
  CreateVoteBody,
  ExtendVoteBody,
  GrantProxyBody,
  Me,
  MyEntry,
  VoteProxy,
  PublicBallot,
  PublishVoteBody,
  ReceiptCheck,
  RollSummary,
  VoteDetail,
  VoteSummary,
} from '@linli/shared/schemas'
import { http } from '../http'

/** 业主大会电子表决 (shared/src/schemas/voting.ts). Types only from the schemas: no TypeBox at run time. */

interface List<T> {
  items: T[]
}

const base = (cid: number, voteId?: number) => `/communities/${cid}/votes${voteId === undefined ? '' : `/${voteId}`}`

// ---------- residents ----------

export async function listVotes(cid: number): Promise<VoteSummary[]> {
  return (await http.request<List<VoteSummary>>(base(cid))).items
}

export function getVote(cid: number, voteId: number): Promise<VoteDetail> {
  return http.request<VoteDetail>(base(cid, voteId))
}

export async function listMyEntries(cid: number, voteId: number): Promise<MyEntry[]> {
  return (await http.request<List<MyEntry>>(`${base(cid, voteId)}/my-entries`)).items
}

export async function listPublicBallots(cid: number, voteId: number): Promise<PublicBallot[]> {
  return (await http.request<List<PublicBallot>>(`${base(cid, voteId)}/ballots`)).items
}

/** `receipt` as checked by checkReceiptCode (shared/src/voting/receipts.ts), which the BFF applies too. */
export function checkReceipt(cid: number, voteId: number, receipt: string): Promise<ReceiptCheck> {
  return http.request<ReceiptCheck>(`${base(cid, voteId)}/receipts/${encodeURIComponent(receipt)}`)
}

export function grantProxy(cid: number, voteId: number, body: GrantProxyBody): Promise<VoteProxy> {
  return http.request<VoteProxy>(`${base(cid, voteId)}/proxies`, { method: 'POST', body })
}

export async function withdrawProxy(cid: number, voteId: number, proxyId: number): Promise<void> {
  await http.request<void>(`${base(cid, voteId)}/proxies/${proxyId}`, { method: 'DELETE' })
}

/** A random v4 UUID (no crypto.randomUUID in WeChat); enough for an idempotency key. */
export function newIdempotencyKey(): string {
  const hex = '0123456789abcdef'
  let out = ''
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) out += '-'
    else if (i === 14) out += '4'
    else if (i === 19) out += hex[8 + Math.floor(Math.random() * 4)]
    else out += hex[Math.floor(Math.random() * 16)]
  }
  return out
}

/**
 * POST …/ballots with `Idempotency-Key`. The shared client has no per-request headers, so this one call sends
 * through the same transport and token store itself, and shares the client's single-flight refresh on 401.
 * 201 = new ballot, 200 = the same key was seen before (same receipt).
 */
/** The same Idempotency-Key for every retry of one confirmed ballot, so a retry can never cast twice. */
export function castBallot(
  cid: number,
  voteId: number,
  body: CastBallotBody,
  idempotencyKey: string,
): Promise<BallotReceipt> {
  return http.request<BallotReceipt>(`${base(cid, voteId)}/ballots`, {
    method: 'POST',
    body,
    headers: { 'Idempotency-Key': idempotencyKey },
  })
}

// ---------- committee ----------

export function createVote(cid: number, body: CreateVoteBody): Promise<VoteDetail> {
  return http.request<VoteDetail>(base(cid), { method: 'POST', body })
}

export function updateVote(cid: number, voteId: number, body: CreateVoteBody): Promise<VoteDetail> {
  return http.request<VoteDetail>(base(cid, voteId), { method: 'PUT', body })
}

/** With less than the legal 15 days of notice, `body.shortNotice` carries the committee's confirmation and reason. */
export function publishVote(cid: number, voteId: number, body: PublishVoteBody = {}): Promise<VoteDetail> {
  return http.request<VoteDetail>(`${base(cid, voteId)}/publish`, { method: 'POST', body })
}

export function remindVoters(cid: number, voteId: number): Promise<{ reminded: number }> {
  return http.request<{ reminded: number }>(`${base(cid, voteId)}/remind`, { method: 'POST' })
}

/** The BFF asks for a reason (2–200 characters), kept in the audit log. */
export function cancelVote(cid: number, voteId: number, reason: string): Promise<VoteDetail> {
  return http.request<VoteDetail>(`${base(cid, voteId)}/cancel`, { method: 'POST', body: { reason } })
}

export function extendVote(cid: number, voteId: number, body: ExtendVoteBody): Promise<VoteDetail> {
  return http.request<VoteDetail>(`${base(cid, voteId)}/extend`, { method: 'POST', body })
}

export function closeVote(cid: number, voteId: number): Promise<VoteDetail> {
  return http.request<VoteDetail>(`${base(cid, voteId)}/close`, { method: 'POST' })
}

export function announceVote(cid: number, voteId: number): Promise<VoteDetail> {
  return http.request<VoteDetail>(`${base(cid, voteId)}/announce`, { method: 'POST' })
}

export function getRoll(cid: number, voteId: number): Promise<RollSummary> {
  return http.request<RollSummary>(`${base(cid, voteId)}/roll`)
}

export async function listProxies(cid: number, voteId: number): Promise<VoteProxy[]> {
  return (await http.request<List<VoteProxy>>(`${base(cid, voteId)}/proxies`)).items
}

export function revokeProxy(cid: number, voteId: number, proxyId: number, reason: string): Promise<VoteProxy> {
  return http.request<VoteProxy>(`${base(cid, voteId)}/proxies/${proxyId}/revoke`, { method: 'POST', body: { reason } })
}

// ---------- helpers shared by the tabs and the voting pages ----------

export interface VoteCommunity {
  communityId: number
  communityName: string
  committee: boolean
}

/** Communities whose votes this person may see: verified households, and committee roles. */
export function voteCommunities(me: Pick<Me, 'households' | 'roles'> | null): VoteCommunity[] {
  const byId = new Map<number, VoteCommunity>()
  for (const m of me?.households ?? []) {
    if (m.state !== 'verified') continue
    if (!byId.has(m.unit.communityId))
      byId.set(m.unit.communityId, {
        communityId: m.unit.communityId,
        communityName: m.unit.communityName,
        committee: false,
      })
  }
  for (const r of me?.roles ?? []) {
    if (r.role !== 'committee') continue
    const c = byId.get(r.communityId)
    if (c) c.committee = true
    else byId.set(r.communityId, { communityId: r.communityId, communityName: r.communityName, committee: true })
  }
  return [...byId.values()]
}

export function isCommittee(me: Pick<Me, 'roles'> | null, communityId: number): boolean {
  return !!me?.roles.some((r) => r.role === 'committee' && r.communityId === communityId)
}

export interface VoteGroups {
  open: VoteSummary[]
  upcoming: VoteSummary[]
  closed: VoteSummary[]
  drafts: VoteSummary[]
}

/** 表决中 / 即将开始 / 已结束 (closed, announced, cancelled), plus drafts (committee only). */
export function groupVotes(items: readonly VoteSummary[]): VoteGroups {
  const by = (a: VoteSummary, b: VoteSummary) => Date.parse(a.closesAt) - Date.parse(b.closesAt)
  return {
    open: items.filter((v) => v.state === 'open').sort(by),
    upcoming: items
      .filter((v) => v.state === 'published')
      .sort((a, b) => Date.parse(a.opensAt) - Date.parse(b.opensAt)),
    closed: items
      .filter((v) => v.state === 'closed' || v.state === 'announced' || v.state === 'cancelled')
      .sort((a, b) => by(b, a)),
    drafts: items.filter((v) => v.state === 'draft'),
  }
}
