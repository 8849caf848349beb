import type { Notice } from '@linli/shared/schemas/webhooks'
import { http } from '../http'

/** The community's notices (公告), newest first: today those the property company publishes. */
export async function listNotices(communityId: number, limit = 3): Promise<Notice[]> {
  const res = await http.request<{ items: Notice[] }>(`/communities/${communityId}/notices`, { query: { limit } })
  return res.items
}
