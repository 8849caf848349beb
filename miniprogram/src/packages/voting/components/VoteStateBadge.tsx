import { Text } from '@tarojs/components'
import { voteStateLabels, type VoteState } from '@linli/shared/voting/rules'

/** 草稿 / 已公告 / 表决中 / 已截止 / 已公示 / 已取消: text + colour, machine state in data-state. */
export function VoteStateBadge({ state, id }: { state: VoteState; id?: string }) {
  return (
    <Text id={id} className={`badge vbadge vbadge--${state}`} data-state={state}>
      {voteStateLabels[state]}
    </Text>
  )
}
