import { View, Text } from '@tarojs/components'
import type { VoteSummary } from '@linli/shared/schemas'
import { VoteStateBadge } from './VoteStateBadge'
import { formatDateTime } from '../../../utils/format'

/** The date that matters for a vote in its state. */
export function voteDateLine(v: Pick<VoteSummary, 'state' | 'opensAt' | 'closesAt' | 'announcedAt'>): string {
  switch (v.state) {
    case 'open':
      return `投票截止 ${formatDateTime(v.closesAt)}`
    case 'published':
      return `${formatDateTime(v.opensAt)} 开始投票`
    case 'draft':
      return `拟 ${formatDateTime(v.opensAt)} 开始`
    default:
      return `${formatDateTime(v.opensAt)} 至 ${formatDateTime(v.closesAt)}`
  }
}

/** One vote in a list: title, dates, number of matters and a state badge. */
export function VoteRow({ vote, id, onClick }: { vote: VoteSummary; id: string; onClick?: () => void }) {
  return (
    <View className='vrow' id={id} hoverClass='cell--hover' onClick={onClick} data-state={vote.state}>
      <View className='vrow__text'>
        <Text className='vrow__title'>{vote.title}</Text>
        <Text className='vrow__sub'>
          {voteDateLine(vote)} · {vote.matterCount} 项事项
        </Text>
      </View>
      <VoteStateBadge state={vote.state} id={`${id}-state`} />
    </View>
  )
}
