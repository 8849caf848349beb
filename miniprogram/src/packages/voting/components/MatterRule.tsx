import { View, Text } from '@tarojs/components'
import type { Matter } from '@linli/shared/schemas'
import { matterCategoryLabels, ruleExplanations, thresholdOf } from '@linli/shared/voting/rules'

/** A matter with its category (民法典第278条 item) and what passes it, in plain Chinese. */
export function MatterRule({ matter, index }: { matter: Matter; index: number }) {
  const threshold = thresholdOf(matter.category)
  return (
    <View className='matter' id={`vote-matter-${matter.id}`}>
      <Text className='matter__title'>
        第{index + 1}项　{matter.text}
      </Text>
      <Text className='matter__cat' id={`vote-matter-${matter.id}-category`}>
        事项类别：{matterCategoryLabels[matter.category]}（第{matter.category}类）
      </Text>
      <View className='matter__rule' id={`vote-matter-${matter.id}-rule`} data-threshold={threshold}>
        <Text className='hint'>{ruleExplanations[threshold]}</Text>
      </View>
    </View>
  )
}

/** The rule every matter shares (the quorum) and the law, said once above the matters. */
export function QuorumRule() {
  return (
    <View className='matter__rule' id='vote-quorum-rule'>
      <Text className='hint'>{ruleExplanations.quorum}</Text>
      <Text className='hint'>{ruleExplanations.source}</Text>
    </View>
  )
}
