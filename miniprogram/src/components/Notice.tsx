import type { PropsWithChildren } from 'react'
import { View } from '@tarojs/components'

export function Notice({
  kind = 'info',
  id,
  children,
}: PropsWithChildren<{ kind?: 'info' | 'error' | 'success' | 'warn'; id?: string }>) {
  return (
    <View id={id} className={`notice notice--${kind}`} role={kind === 'error' ? 'alert' : undefined}>
      {children}
    </View>
  )
}
