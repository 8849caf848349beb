import type { PropsWithChildren } from 'react'
import { Button } from '@tarojs/components'
import type { ButtonProps } from '@tarojs/components'

export type ActionVariant = 'primary' | 'secondary' | 'danger' | 'plain'

export interface ActionButtonProps {
  id?: string
  variant?: ActionVariant
  disabled?: boolean
  loading?: boolean
  /** full width (default true) */
  block?: boolean
  onClick?: () => void
  /** weapp only: e.g. getPhoneNumber */
  openType?: ButtonProps['openType']
  onGetPhoneNumber?: ButtonProps['onGetPhoneNumber']
}

/**
 * A plain tap button (onClick, never formType: Taro H5 submits forms on touchend).
 * Taps while disabled or loading are ignored here too, not only by the platform. Loading is shown as text
 * (Taro H5's spinner is an image on an outside CDN), with aria-busy for tests and screen readers.
 */
export function ActionButton({
  id,
  variant = 'primary',
  disabled = false,
  loading = false,
  block = true,
  onClick,
  openType,
  onGetPhoneNumber,
  children,
}: PropsWithChildren<ActionButtonProps>) {
  const cls = [
    'btn',
    `btn--${variant}`,
    block ? 'btn--block' : 'btn--inline',
    disabled || loading ? 'btn--disabled' : '',
  ]
    .filter(Boolean)
    .join(' ')
  return (
    <Button
      id={id}
      className={cls}
      disabled={disabled || loading}
      aria-busy={loading}
      hoverClass='btn--hover'
      openType={openType}
      onGetPhoneNumber={onGetPhoneNumber}
      onClick={() => {
        if (!disabled && !loading) onClick?.()
      }}
    >
      {loading ? '请稍候…' : children}
    </Button>
  )
}
