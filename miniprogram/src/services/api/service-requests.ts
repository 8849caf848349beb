import type {
  ConfirmRequestBody,
  EscalatedRequest,
  FiguresReport,
  FileRequestBody,
  HandlerTransitionBody,
  Me,
  MyServiceRequest,
  ServiceCategory,
  ServiceRequestDetail,
  ServiceRequestSummary,
} from '@linli/shared/schemas'
import type { Role } from '@linli/shared/households/roles'
import { http } from '../http'

/** 报事报修 (shared/src/schemas/service-requests.ts). Types only from the schemas: no TypeBox at run time. */

interface List<T> {
  items: T[]
}

const base = (cid: number, requestId?: number) =>
  `/communities/${cid}/service-requests${requestId === undefined ? '' : `/${requestId}`}`

// ---------- categories and filing ----------

export async function listCategories(cid: number): Promise<ServiceCategory[]> {
  return (await http.request<List<ServiceCategory>>(`/communities/${cid}/service-categories`)).items
}

/** The same Idempotency-Key for every retry of one submission: a retry returns the first answer (200). */
export function fileRequest(cid: number, body: FileRequestBody, idempotencyKey: string): Promise<ServiceRequestDetail> {
  return http.request<ServiceRequestDetail>(base(cid), {
    method: 'POST',
    body,
    headers: { 'Idempotency-Key': idempotencyKey },
  })
}

/** Open requests of the category at the same place: a building (its shared parts), or a public area by its words. */
export async function similarRequests(
  cid: number,
  categoryId: number,
  where: { buildingId: number } | { place: string },
): Promise<ServiceRequestSummary[]> {
  return (await http.request<List<ServiceRequestSummary>>(`${base(cid)}/similar`, { query: { categoryId, ...where } }))
    .items
}

// ---------- reading ----------

export async function myRequests(cid: number): Promise<MyServiceRequest[]> {
  return (await http.request<List<MyServiceRequest>>(`${base(cid)}/mine`)).items
}

export function getRequest(cid: number, requestId: number): Promise<ServiceRequestDetail> {
  return http.request<ServiceRequestDetail>(base(cid, requestId))
}

export async function board(
  cid: number,
  buildingId?: number,
  state: 'open' | 'done' | 'all' = 'open',
): Promise<ServiceRequestSummary[]> {
  return (await http.request<List<ServiceRequestSummary>>(`${base(cid)}/board`, { query: { buildingId, state } })).items
}

export function figures(cid: number, days: 30 | 90): Promise<FiguresReport> {
  return http.request<FiguresReport>(`${base(cid)}/figures`, { query: { days } })
}

// ---------- the reporter ----------

export function cancelRequest(cid: number, requestId: number, reason?: string): Promise<ServiceRequestDetail> {
  return http.request<ServiceRequestDetail>(`${base(cid, requestId)}/cancel`, {
    method: 'POST',
    body: reason ? { reason } : {},
  })
}

export function confirmRequest(
  cid: number,
  requestId: number,
  body: ConfirmRequestBody,
): Promise<ServiceRequestDetail> {
  return http.request<ServiceRequestDetail>(`${base(cid, requestId)}/confirm`, { method: 'POST', body })
}

export function reopenRequest(cid: number, requestId: number, reason: string): Promise<ServiceRequestDetail> {
  return http.request<ServiceRequestDetail>(`${base(cid, requestId)}/reopen`, { method: 'POST', body: { reason } })
}

export function urgeRequest(
  cid: number,
  requestId: number,
): Promise<{ count: number; lastAt: string; nextAllowedAt: string }> {
  return http.request(`${base(cid, requestId)}/urge`, { method: 'POST' })
}

/** "我也遇到了": follow instead of filing a duplicate (DELETE to stop following). */
export function follow(
  cid: number,
  requestId: number,
  on: boolean,
): Promise<{ following: boolean; followerCount: number }> {
  return http.request(`${base(cid, requestId)}/follow`, { method: on ? 'POST' : 'DELETE' })
}

// ---------- committee / community worker ----------

export async function escalations(cid: number): Promise<EscalatedRequest[]> {
  return (await http.request<List<EscalatedRequest>>(`${base(cid)}/escalations`)).items
}

export async function listAll(
  cid: number,
  query: { status?: string; handler?: 'property' | 'committee'; escalated?: boolean; limit?: number } = {},
): Promise<ServiceRequestSummary[]> {
  const q = { ...query, escalated: query.escalated === undefined ? undefined : String(query.escalated) }
  return (await http.request<List<ServiceRequestSummary>>(base(cid), { query: q })).items
}

export function transition(cid: number, requestId: number, body: HandlerTransitionBody): Promise<ServiceRequestDetail> {
  return http.request<ServiceRequestDetail>(`${base(cid, requestId)}/transitions`, { method: 'POST', body })
}

// ---------- helpers shared by the 服务 tab and the pages ----------

export interface SrCommunity {
  communityId: number
  communityName: string
  /** committee or community worker: escalations inbox and handler actions */
  supervisor: boolean
}

/** Communities where this person may file or supervise: verified households, committee and worker roles. */
export function srCommunities(me: Pick<Me, 'households' | 'roles'> | null): SrCommunity[] {
  const byId = new Map<number, SrCommunity>()
  for (const m of me?.households ?? []) {
    if (m.state !== 'verified') continue
    if (!byId.has(m.unit.communityId))
      byId.set(m.unit.communityId, {
        communityId: m.unit.communityId,
        communityName: m.unit.communityName,
        supervisor: false,
      })
  }
  for (const r of me?.roles ?? []) {
    if (r.role !== 'committee' && r.role !== 'worker') continue
    const c = byId.get(r.communityId)
    if (c) c.supervisor = true
    else byId.set(r.communityId, { communityId: r.communityId, communityName: r.communityName, supervisor: true })
  }
  return [...byId.values()]
}

/**
 * The roles this person holds in a community, as the BFF reckons them (resident: a verified household there),
 * for the shared rules that decide what the pages offer (e.g. followRefusal for 我也遇到了).
 */
export function viewerRoles(
  me: Pick<Me, 'households' | 'roles' | 'isPlatformAdmin'> | null,
  communityId: number | null,
): ReadonlySet<Role> {
  const roles = new Set<Role>()
  if (!me || communityId === null) return roles
  if (me.households.some((m) => m.state === 'verified' && m.unit.communityId === communityId)) roles.add('resident')
  for (const r of me.roles) if (r.communityId === communityId) roles.add(r.role)
  if (me.isPlatformAdmin) roles.add('admin')
  return roles
}
