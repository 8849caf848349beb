import { View, Text } from '@tarojs/components'
import type { VoteDetail } from '@linli/shared/schemas'
import { Notice } from '../../../components'
import type { AsyncState } from '../../../hooks/useAsync'
import { VoteStateBadge } from './VoteStateBadge'

/** The top of a vote's pages: its load error or loading hint, then the title with the state badge. */
export function VoteHeader({ vote, idPrefix }: { vote: AsyncState<VoteDetail>; idPrefix: 'vote' | 'result' }) {
  const v = vote.data
  return (
    <View>
      {vote.error ? (
        <Notice kind='error' id={`${idPrefix}-load-error`}>
          {vote.error}
        </Notice>
      ) : null}
      {vote.loading && !v ? <Text className='hint'>正在加载…</Text> : null}
      {v ? (
        <View className='card__head'>
          <Text className='title' id={`${idPrefix}-title`}>
            {v.title}
          </Text>
          <VoteStateBadge state={v.state} id={`${idPrefix}-state`} />
        </View>
      ) : null}
    </View>
  )
}
