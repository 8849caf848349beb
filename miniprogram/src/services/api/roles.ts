import type { CommunityRole } from '@linli/shared/households/roles'
import type { GrantRoleBody, RoleAssignment, RoleCandidate } from '@linli/shared/schemas'
import { http } from '../http'

/** The community's committee members and community workers (community workers and platform admins only). */
export async function listRoles(communityId: number): Promise<RoleAssignment[]> {
  const res = await http.request<{ items: RoleAssignment[] }>(`/communities/${communityId}/roles`)
  return res.items
}

/** Verified residents by name or room, or whoever bound a whole mobile number. */
export async function findCandidates(communityId: number, q: string): Promise<RoleCandidate[]> {
  const res = await http.request<{ items: RoleCandidate[] }>(`/communities/${communityId}/role-candidates`, {
    query: { q: q.trim() },
  })
  return res.items
}

export async function grantRole(communityId: number, personId: number, role: CommunityRole): Promise<void> {
  const body: GrantRoleBody = { personId, role }
  await http.request<void>(`/communities/${communityId}/roles`, { method: 'POST', body })
}

export async function revokeRole(communityId: number, personId: number, role: CommunityRole): Promise<void> {
  await http.request<void>(`/communities/${communityId}/roles/${personId}/${role}`, { method: 'DELETE' })
}
