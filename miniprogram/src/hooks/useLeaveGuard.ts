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
  // only in the H5 build (the condition is a build-time constant: the weapp bundle never contains the router)
  const { history } = require('@tarojs/router') as { history: BlockableHistory | undefined }
  if (!history?.block) return () => undefined
  let unblock = () => {}
  let asking = false
  const blocker = (tx: Transition) => {
    // going forward (opening another page, submitting) is not leaving the form behind
    if (tx.action !== 'POP') {
      unblock()
      tx.retry()
      unblock = history.block(blocker)
      return
    }
    // Stay blocked while asking: in hash mode one "back" reaches the history as popstate and hashchange, and
    // the revert as one more popstate; unblocked, that one would reach the router and reload the page under the
    // question (losing what was typed and hiding the modal).
    if (asking) return
    asking = true
    void confirm({ title: '离开此页？', content: message, confirmText: '离开', cancelText: '继续填写', danger: true }).then((leave) => {
      asking = false
      if (!leave) return
      unblock()
      unblock = () => undefined
      tx.retry()
    })
  }
  unblock = history.block(blocker)
  return () => unblock()
}
