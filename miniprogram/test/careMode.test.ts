import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import Taro from '@tarojs/taro'
import { CARE_MODE_KEY, careModeStore, resolveCareMode } from '../src/stores/careMode'

const stubbable = Taro as unknown as { getAppBaseInfo?: () => { fontSizeSetting?: number } }
const original = stubbable.getAppBaseInfo

function systemFont(size: number | undefined) {
  stubbable.getAppBaseInfo = () => ({ fontSizeSetting: size })
}

describe('resolveCareMode', () => {
  it('an explicit setting beats the system font size', () => {
    expect(resolveCareMode('off', 24)).toBe(false)
    expect(resolveCareMode('on', 14)).toBe(true)
    expect(resolveCareMode('on', null)).toBe(true)
  })
  it('without a setting, follows the system font: larger than 17 means care mode', () => {
    expect(resolveCareMode(null, 17)).toBe(false)
    expect(resolveCareMode(null, 18)).toBe(true)
    expect(resolveCareMode(null, null)).toBe(false)
  })
})

describe('careModeStore', () => {
  beforeEach(() => {
    Taro.removeStorageSync(CARE_MODE_KEY)
    careModeStore.reload()
  })
  afterEach(() => {
    stubbable.getAppBaseInfo = original
  })

  it('follows a large WeChat font when nothing is stored, and an explicit "off" overrides it', () => {
    systemFont(22)
    careModeStore.reload()
    expect(careModeStore.get()).toEqual({ setting: null, on: true })

    careModeStore.set('off')
    expect(Taro.getStorageSync(CARE_MODE_KEY)).toBe('off')
    expect(careModeStore.get()).toEqual({ setting: 'off', on: false })

    careModeStore.set(null)
    expect(Taro.getStorageSync(CARE_MODE_KEY)).toBeFalsy()
    expect(careModeStore.isOn()).toBe(true)
  })

  it('an explicit "on" wins over a normal font, persists, and notifies subscribers', () => {
    systemFont(16)
    careModeStore.reload()
    expect(careModeStore.isOn()).toBe(false)

    const seen: boolean[] = []
    const off = careModeStore.subscribe((on) => seen.push(on))
    careModeStore.set('on')
    off()
    careModeStore.set('off')

    expect(seen).toEqual([true])
    expect(Taro.getStorageSync(CARE_MODE_KEY)).toBe('off')
  })

  it('ignores a malformed stored value and falls back to the system font', () => {
    systemFont(20)
    Taro.setStorageSync(CARE_MODE_KEY, 'maybe')
    careModeStore.reload()
    expect(careModeStore.get()).toEqual({ setting: null, on: true })
  })
})
