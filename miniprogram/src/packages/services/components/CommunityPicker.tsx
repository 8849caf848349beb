import { View } from '@tarojs/components'
import { Card } from '../../../components'
import type { SrCommunity } from '../../../services/api/service-requests'

/** Shown only when the person belongs to several communities. */
export function CommunityPicker({
  communities,
  currentId,
  onPick,
}: {
  communities: readonly SrCommunity[]
  currentId: number | null
  onPick: (c: SrCommunity) => void
}) {
  if (communities.length < 2) return null
  return (
    <Card title='选择小区'>
      <View className='grid'>
        {communities.map((c) => (
          <View
            key={c.communityId}
            id={`sr-community-${c.communityId}`}
            className={`option ${currentId === c.communityId ? 'option--selected' : ''}`}
            onClick={() => onPick(c)}
          >
            {c.communityName}
          </View>
        ))}
      </View>
    </Card>
  )
}
