import { useState } from 'react'
import { useRouter } from '@tarojs/taro'
import type { Me } from '@linli/shared/schemas'
import { voteCommunities, type VoteCommunity } from '../../../services/api/voting'

/** The community a voting page is about: ?communityId=, else the one picked, else the person's first. */
export function useVoteCommunity(me: Me | null): {
  communities: VoteCommunity[]
  current: VoteCommunity | null
  pick: (c: VoteCommunity) => void
} {
  const router = useRouter()
  const communities = voteCommunities(me)
  const paramId = Number(router.params.communityId ?? '')
  const [picked, setPicked] = useState<number | null>(null)
  const wanted = picked ?? (Number.isInteger(paramId) && paramId > 0 ? paramId : null)
  const current =
    wanted !== null
      ? (communities.find((c) => c.communityId === wanted) ?? {
          communityId: wanted,
          communityName: '',
          committee: false,
        })
      : (communities[0] ?? null)
  return { communities, current, pick: (c) => setPicked(c.communityId) }
}

export function useVoteId(): number | null {
  const router = useRouter()
  const id = Number(router.params.voteId ?? '')
  return Number.isInteger(id) && id > 0 ? id : null
}
