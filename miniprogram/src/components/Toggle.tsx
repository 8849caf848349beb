import { View, Text } from '@tarojs/components'

/**
 * An on/off row drawn by us (a large tap target in care mode on both platforms).
 * Exposes aria-checked and data-checked for tests and screen readers.
 */
export function Toggle({
  id,
  label,
  description,
  checked,
  onChange,
}: {
  id: string
  label: string
  description?: string
  checked: boolean
  onChange: (next: boolean) => void
}) {
  return (
    <View
      id={id}
      className={`toggle ${checked ? 'toggle--on' : ''}`}
      role='switch'
      aria-checked={checked}
      data-checked={checked ? 'true' : 'false'}
      onClick={() => onChange(!checked)}
    >
      <View className='toggle__text'>
        <Text className='toggle__label'>{label}</Text>
        {description ? <Text className='toggle__desc'>{description}</Text> : null}
      </View>
      <View className='toggle__track'>
        <Text className='toggle__state'>{checked ? '开' : '关'}</Text>
        <View className='toggle__thumb' />
      </View>
    </View>
  )
}
