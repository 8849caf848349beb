import type { BuildingSummary, CommunitySummary, UnitOption } from '@linli/shared/schemas'
import { http } from '../http'

interface List<T> {
  items: T[]
}

export async function searchCommunities(q: string): Promise<CommunitySummary[]> {
  const res = await http.request<List<CommunitySummary>>('/communities', { query: { q: q.trim() || undefined } })
  return res.items
}

export async function listBuildings(communityId: number): Promise<BuildingSummary[]> {
  const res = await http.request<List<BuildingSummary>>(`/communities/${communityId}/buildings`)
  return res.items
}

export async function listUnits(communityId: number, buildingId: number): Promise<UnitOption[]> {
  const res = await http.request<List<UnitOption>>(`/communities/${communityId}/buildings/${buildingId}/units`)
  return res.items
}
