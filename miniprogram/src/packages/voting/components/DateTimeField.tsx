import { View, Text, Input, Picker } from '@tarojs/components'

/**
 * A date-time as typed text "YYYY-MM-DD HH:mm" (H5 and the e2e test type it), with WeChat's date and time
 * pickers next to it in the mini-program.
 */
export function DateTimeField({
  id,
  label,
  value,
  onChange,
}: {
  id: string
  label: string
  value: string
  onChange: (v: string) => void
}) {
  const [datePart = '', timePart = ''] = value.trim().split(/[ T]/)
  return (
    <View className='dtf'>
      <Text className='dtf__label'>{label}</Text>
      <Input
        id={id}
        className='field'
        value={value}
        placeholder='YYYY-MM-DD HH:mm'
        onInput={(e) => onChange(e.detail.value)}
      />
      {process.env.TARO_ENV === 'weapp' ? (
        <View className='field-row mt'>
          <Picker mode='date' value={datePart} onChange={(e) => onChange(`${e.detail.value} ${timePart || '09:00'}`)}>
            <View className='option'>{datePart || '选择日期'}</View>
          </Picker>
          <Picker mode='time' value={timePart} onChange={(e) => onChange(`${datePart || ''} ${e.detail.value}`.trim())}>
            <View className='option'>{timePart || '选择时间'}</View>
          </Picker>
        </View>
      ) : null}
    </View>
  )
}
