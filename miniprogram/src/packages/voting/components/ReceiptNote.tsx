import { View, Text } from '@tarojs/components'
import { formatDateTime } from '../../../utils/format'

/** The receipt code, large, with what it is for. */
export function ReceiptNote({
  receipt,
  castAt,
  rooms,
  id,
}: {
  receipt: string
  castAt?: string
  rooms?: string[]
  id: string
}) {
  return (
    <View className='receipt-note'>
      <Text className='hint'>投票回执码{rooms?.length ? `（${rooms.join('、')}）` : ''}</Text>
      <Text className='receipt' id={id} data-receipt={receipt}>
        {receipt}
      </Text>
      <Text className='hint'>
        {castAt ? `${formatDateTime(castAt)} 提交。` : ''}
        回执码已保存在本机；表决结束后可在公示名单中按回执码核对您的选票是否被计入。
      </Text>
    </View>
  )
}
