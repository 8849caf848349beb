import { useState } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { careModeStore } from '../stores/careMode'
import { useCareMode } from '../hooks/useCareMode'
import { ActionButton } from './ActionButton'

const OFFERED_KEY = 'linli.careModeOffered'

function offered(): boolean {
  try {
    return Taro.getStorageSync(OFFERED_KEY) === '1'
  } catch {
    return true
  }
}

/**
 * First launch: asks once whether to use care mode (适老化), with the choice shown in large type — an older
 * resident should not have to find it under 我的 → 设置. Not shown once answered, nor when care mode is already
 * on (by WeChat's font size or by hand).
 */
export function CareModeOffer() {
  const care = useCareMode()
  const [open, setOpen] = useState(() => !offered() && careModeStore.get().setting === null)
  if (!open || care) return null
  const answer = (on: boolean) => {
    Taro.setStorageSync(OFFERED_KEY, '1')
    careModeStore.set(on ? 'on' : 'off')
    setOpen(false)
  }
  return (
    <View className='card care-offer' id='care-offer'>
      <Text className='care-offer__title'>字太小，看不清？</Text>
      <Text className='text'>
        打开关怀模式：字更大，按钮更大，颜色更清楚。以后可以在首页右上角或“我的 → 关怀模式与设置”里随时切换。
      </Text>
      <View className='btn-row'>
        <ActionButton id='care-offer-on' onClick={() => answer(true)}>
          打开大字
        </ActionButton>
        <ActionButton id='care-offer-off' variant='secondary' onClick={() => answer(false)}>
          不用了
        </ActionButton>
      </View>
    </View>
  )
}

/** A switch for care mode always at hand (首页's header): one tap, the whole app follows. */
export function CareModeChip({ id = 'care-chip' }: { id?: string }) {
  const care = useCareMode()
  return (
    <View
      id={id}
      className={`care-chip ${care ? 'care-chip--on' : ''}`}
      role='switch'
      aria-checked={care}
      aria-label='关怀模式（大字）'
      data-checked={care ? 'true' : 'false'}
      onClick={() => {
        Taro.setStorageSync(OFFERED_KEY, '1')
        careModeStore.set(care ? 'off' : 'on')
      }}
    >
      <Text className='care-chip__text'>{care ? '大字 开' : '大字 关'}</Text>
    </View>
  )
}
