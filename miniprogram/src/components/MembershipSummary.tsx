import { View, Text } from '@tarojs/components'
import type { Membership } from '@linli/shared/schemas'
import { relationLabels } from '@linli/shared/households/rules'
import { StateBadge } from './StateBadge'
import { unitLabel } from '../utils/format'

/** Compact list of a person's households with their verification state (home and 我的). */
export function MembershipSummary({ items, idPrefix }: { items: readonly Membership[]; idPrefix: string }) {
  return (
    <View className='msum'>
      {items.map((m) => (
        <View key={m.id} className='msum__row' id={`${idPrefix}-${m.id}`}>
          <View className='msum__text'>
            <Text className='msum__unit'>{unitLabel(m.unit)}</Text>
            <Text className='msum__rel'>{relationLabels[m.relation]}</Text>
          </View>
          <StateBadge state={m.state} id={`${idPrefix}-${m.id}-state`} />
        </View>
      ))}
    </View>
  )
}
