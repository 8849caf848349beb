import { useRef } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'

/**
 * Pull-to-refresh for a page whose config sets `enablePullDownRefresh: true`: runs the page's loader and ends
 * the refresh animation when it settles (success or not: the page shows its own error and a retry).
 */
export function useRefresh(load: () => unknown): void {
  usePullDownRefresh(() => {
    void Promise.resolve()
      .then(load)
      .catch(() => undefined)
      .finally(() => void Taro.stopPullDownRefresh())
  })
}

/**
 * Loads again each time the page shows after its first show (coming back from a page it opened, or from the
 * background); the first load is the page's own effect.
 */
export function useReshow(load: () => unknown): void {
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current)
      void Promise.resolve()
        .then(load)
        .catch(() => undefined)
    shown.current = true
  })
}
