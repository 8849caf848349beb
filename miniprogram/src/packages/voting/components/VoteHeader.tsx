import { View, Text } from '@tarojs/components'
import type { VoteDetail } from '@linli/shared/schemas'
import { LoadError } from '../../../components'
import type { AsyncState } from '../../../hooks/useAsync'
import { VoteStateBadge } from './VoteStateBadge'

/** The top of a vote's pages: its load error with a retry, or the loading hint, then the title with the state badge. */
export function VoteHeader({
  vote,
  idPrefix,
  onRetry,
}: {
  vote: AsyncState<VoteDetail>
  idPrefix: 'vote' | 'result'
  onRetry: () => void
}) {
  const v = vote.data
  return (
    <View>
      {vote.error ? (
        <LoadError id={`${idPrefix}-load-error`} message={vote.error} onRetry={onRetry} busy={vote.loading} />
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
