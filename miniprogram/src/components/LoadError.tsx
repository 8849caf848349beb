import { View, Text } from '@tarojs/components'
import { ActionButton } from './ActionButton'

/**
 * What a page shows when loading failed: the reason and a way out (try again), never a dead end. Lists also
 * take pull-to-refresh (hooks/useRefresh).
 */
export function LoadError({
  message,
  onRetry,
  id,
  busy = false,
}: {
  message: string
  onRetry: () => void
  id?: string
  busy?: boolean
}) {
  return (
    <View className='notice notice--error load-error' id={id} role='alert'>
      <Text className='load-error__text'>{message}</Text>
      <View className='load-error__action'>
        <ActionButton id={id ? `${id}-retry` : undefined} variant='secondary' loading={busy} onClick={onRetry}>
          重试
        </ActionButton>
      </View>
    </View>
  )
}
