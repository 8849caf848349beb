import { useState } from 'react'
import { View, Text } from '@tarojs/components'

/** SHA-256 of the frozen roll and items: short by default, tap to show in full (to compare with the notice). */
export function Fingerprints({ roll, items, idPrefix }: { roll: string; items: string; idPrefix: string }) {
  const [full, setFull] = useState(false)
  const show = (h: string) => (full ? h : `${h.slice(0, 12)}…`)
  return (
    <View className='fp' id={idPrefix}>
      <View className='kv'>
        <Text className='kv__k'>名册指纹</Text>
        <Text className='kv__v fp__hash' id={`${idPrefix}-roll`} data-full={roll}>
          {show(roll)}
        </Text>
      </View>
      <View className='kv'>
        <Text className='kv__k'>事项指纹</Text>
        <Text className='kv__v fp__hash' id={`${idPrefix}-items`} data-full={items}>
          {show(items)}
        </Text>
      </View>
      <Text className='hint'>发布时冻结的业主名册和表决事项的 SHA-256 指纹，公告中的指纹应与此一致。</Text>
      <View className='fp__toggle' id={`${idPrefix}-toggle`} onClick={() => setFull(!full)}>
        {full ? '收起' : '显示完整指纹'}
      </View>
    </View>
  )
}
