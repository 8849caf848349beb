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
        {value !== undefined && value !== null ? <Text className='cell__value'>{value}</Text> : null}
        {onClick ? <Text className='cell__arrow'>›</Text> : null}
      </View>
    </View>
  )
}
