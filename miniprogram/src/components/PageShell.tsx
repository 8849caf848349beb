import type { PropsWithChildren } from 'react'
import { View } from '@tarojs/components'
import { useCareMode } from '../hooks/useCareMode'

/**
 * Root of every page. Carries the care-mode class: type sizes, line height, tap-target height and
 * colours are CSS variables that `.page--care` overrides (see app.scss), so every page honours it.
 */
export function PageShell({ children, className }: PropsWithChildren<{ className?: string }>) {
  const care = useCareMode()
  const cls = ['page', care ? 'page--care' : '', className ?? ''].filter(Boolean).join(' ')
  return (
    <View className={cls} data-care-mode={care ? 'on' : 'off'}>
      {children}
    </View>
  )
}
