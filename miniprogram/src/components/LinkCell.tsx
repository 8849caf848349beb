import type { ReactNode } from 'react'
import { View, Text } from '@tarojs/components'

/** A tappable row: title on the left, value and an arrow on the right. */
export function LinkCell({
  id,
  title,
  value,
  onClick,
}: {
  id?: string
  title: ReactNode
  value?: ReactNode
  onClick?: () => void
}) {
  return (
    <View id={id} className='cell' hoverClass='cell--hover' onClick={onClick}>
      <Text className='cell__title'>{title}</Text>
      <View className='cell__right'>
        {value === undefined || value === null ? null : typeof value === 'string' || typeof value === 'number' ? (
          <Text className='cell__value'>{value}</Text>
        ) : (
          // an element (e.g. a count badge) in a View: weapp styles nested <text> poorly
          <View className='cell__value'>{value}</View>
        )}
        {onClick ? <Text className='cell__arrow'>›</Text> : null}
      </View>
    </View>
  )
}
