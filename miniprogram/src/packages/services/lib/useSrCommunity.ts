import { useState } from 'react'
import { useRouter } from '@tarojs/taro'
import type { Me } from '@linli/shared/schemas'
import { srCommunities, type SrCommunity } from '../../../services/api/service-requests'

/**
 * The community a 报事报修 page is about: ?communityId=, else the one picked, else the person's first. `member`:
 * whether the person belongs there (verified household, committee, worker); null until `me` is known.
 */
export function useSrCommunity(me: Me | null): {
  communities: SrCommunity[]
  current: SrCommunity | null
  member: boolean | null
  pick: (c: SrCommunity) => void
} {
  const router = useRouter()
  const communities = srCommunities(me)
  const paramId = Number(router.params.communityId ?? '')
  const [picked, setPicked] = useState<number | null>(null)
  const wanted = picked ?? (Number.isInteger(paramId) && paramId > 0 ? paramId : null)
  const current =
    wanted !== null
      ? (communities.find((c) => c.communityId === wanted) ?? {
          communityId: wanted,
          communityName: '',
          supervisor: false,
        })
      : (communities[0] ?? null)
  const member = me === null ? null : current !== null && communities.some((c) => c.communityId === current.communityId)
  return { communities, current, member, pick: (c) => setPicked(c.communityId) }
}

/** A positive integer query parameter, or null. */
export function useIdParam(name: string): number | null {
  const router = useRouter()
  const id = Number(router.params[name] ?? '')
  return Number.isInteger(id) && id > 0 ? id : null
}
