import type { PropsWithChildren } from 'react'
import { View, Text } from '@tarojs/components'

export function EmptyState({
  title,
  description,
  id,
  children,
}: PropsWithChildren<{ title: string; description?: string; id?: string }>) {
  return (
    <View className='empty' id={id}>
      <Text className='empty__title'>{title}</Text>
      {description ? <Text className='empty__desc'>{description}</Text> : null}
      {children ? <View className='empty__action'>{children}</View> : null}
    </View>
  )
}
