import Taro, { usePullDownRefresh } from '@tarojs/taro'

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
