import { View, Text } from '@tarojs/components'
import { RATING_MAX } from '@linli/shared/service-requests/rules'

/** 1–5 stars as five large tap targets (role=radio), `data-value` on the group. */
export function Stars({
  id,
  label,
  value,
  onChange,
}: {
  id: string
  label: string
  value: number | null
  onChange?: (v: number) => void
}) {
  const stars = Array.from({ length: RATING_MAX }, (_, i) => i + 1)
  return (
    <View className='stars' id={id} data-value={value ?? ''} role='radiogroup' aria-label={label}>
      <Text className='stars__label'>{label}</Text>
      <View className='stars__row'>
        {stars.map((n) => (
          <View
            key={n}
            id={`${id}-${n}`}
            role='radio'
            aria-checked={value === n}
            className={`stars__star ${value !== null && n <= value ? 'stars__star--on' : ''}`}
            onClick={() => onChange?.(n)}
          >
            {value !== null && n <= value ? '★' : '☆'}
          </View>
        ))}
        <Text className='stars__value'>{value ? `${value}分` : '未评'}</Text>
      </View>
    </View>
  )
}
