import type { MembershipApplication, RejectMembershipBody } from '@linli/shared/schemas'
import { http } from '../http'

export async function listPendingApplications(communityId: number): Promise<MembershipApplication[]> {
  const res = await http.request<{ items: MembershipApplication[] }>(`/communities/${communityId}/memberships`, {
    query: { state: 'pending' },
  })
  return res.items
}

export function approveApplication(communityId: number, membershipId: number): Promise<MembershipApplication> {
  return http.request<MembershipApplication>(`/communities/${communityId}/memberships/${membershipId}/approve`, {
    method: 'POST',
  })
}

export function rejectApplication(
  communityId: number,
  membershipId: number,
  reason: string,
): Promise<MembershipApplication> {
  const body: RejectMembershipBody = { reason }
  return http.request<MembershipApplication>(`/communities/${communityId}/memberships/${membershipId}/reject`, {
    method: 'POST',
    body,
  })
}
