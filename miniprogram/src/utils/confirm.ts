import Taro from '@tarojs/taro'

/**
 * Asks before something that cannot be undone or loses input (logout, leaving a half-filled form, withdrawing).
 * Resolves true only when the person confirms. WeChat shows at most 4 characters on each button.
 */
export async function confirm(opts: {
  title: string
  content?: string
  confirmText?: string
  cancelText?: string
  danger?: boolean
}): Promise<boolean> {
  try {
    const res = await Taro.showModal({
      title: opts.title,
      content: opts.content ?? '',
      confirmText: opts.confirmText ?? '确定',
      cancelText: opts.cancelText ?? '取消',
      ...(opts.danger ? { confirmColor: '#b3261e' } : { confirmColor: '#1a5fb4' }),
    })
    return res.confirm === true
  } catch {
    return false
  }
}
