import { useEffect } from 'react'
import Taro from '@tarojs/taro'
import { confirm } from '../utils/confirm'

export const LEAVE_MESSAGE = '您填写的内容还没有提交，离开后不会保存。确定离开吗？'

/**
 * While `dirty` (a half-filled form or ballot), leaving the page asks first. In WeChat this is the platform's
 * own alert on the back button and gesture (enableAlertBeforeUnload); in the H5 build the hash history is
 * blocked, so the browser's back button and navigateBack ask the same question with the same modal.
 */
export function useLeaveGuard(dirty: boolean, message: string = LEAVE_MESSAGE): void {
  useEffect(() => {
    if (!dirty) return undefined
    if (process.env.TARO_ENV === 'h5') return blockH5History(message)
    try {
      void Taro.enableAlertBeforeUnload({ message })
    } catch {
      return undefined
    }
    return () => {
      try {
        void Taro.disableAlertBeforeUnload()
      } catch {
        // an older base library: nothing was enabled
      }
    }
  }, [dirty, message])
}

interface Transition {
  action: 'POP' | 'PUSH' | 'REPLACE'
  retry: () => void
}
interface BlockableHistory {
  block: (blocker: (tx: Transition) => void) => () => void
}

function blockH5History(message: string): () => void {
  // only in the H5 build: the condition is a build-time constant in the same expression as the require, so
  // webpack drops the require (and the router with its H5 runtime) from the weapp bundle
  const { history } = (process.env.TARO_ENV === 'h5' ? require('@tarojs/router') : {}) as { history?: BlockableHistory }
  if (!history?.block) return () => undefined
  const here = window.location.hash
  let asking = false
  let unblock = () => {}
  const blocker = (tx: Transition) => {
    // going forward (opening another page, submitting) is not leaving the form behind
    if (tx.action !== 'POP') {
      unblock()
      tx.retry()
      unblock = history.block(blocker)
      return
    }
    if (asking) return
    asking = true
    const ask = () =>
      void confirm({
        title: '离开此页？',
        content: message,
        confirmText: '离开',
        cancelText: '继续填写',
        danger: true,
      }).then((leave) => {
        asking = false
        if (!leave) return // still blocked: the address is back on this page
        unblock()
        tx.retry()
      })
    // The hash history calls this on the back's hashchange, before its go() has put the address back; the block
    // stays until then (else that go() lands as a navigation of its own and the page is rebuilt), and the
    // question waits for it too (Taro H5 hides a modal when the address changes under it).
    const started = Date.now()
    const waitBack = () => {
      if (window.location.hash === here || Date.now() - started > 1000) ask()
      else setTimeout(waitBack, 30)
    }
    waitBack()
  }
  unblock = history.block(blocker)
  return () => unblock()
}
