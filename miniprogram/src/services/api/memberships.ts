import type { CreateMembershipBody, Membership } from '@linli/shared/schemas'
import { http } from '../http'

export async function listMyMemberships(): Promise<Membership[]> {
  const res = await http.request<{ items: Membership[] }>('/memberships')
  return res.items
}

/** 201: verified at once when an owner/co-owner's bound phone matches the roster, else pending. */
export function applyMembership(body: CreateMembershipBody): Promise<Membership> {
  return http.request<Membership>('/memberships', { method: 'POST', body })
}

/** Withdraw a pending/rejected application or leave a verified household. */
export async function withdrawMembership(membershipId: number): Promise<void> {
  await http.request<void>(`/memberships/${membershipId}`, { method: 'DELETE' })
}
