import type { PropsWithChildren, ReactNode } from 'react'
import { View, Text } from '@tarojs/components'

export function Card({
  title,
  extra,
  id,
  children,
}: PropsWithChildren<{ title?: ReactNode; extra?: ReactNode; id?: string }>) {
  return (
    <View className='card' id={id}>
      {title || extra ? (
        <View className='card__head'>
          {title ? <Text className='card__title'>{title}</Text> : <View />}
          {extra}
        </View>
      ) : null}
      {children}
    </View>
  )
}
