import { describe, expect, it } from 'vitest'
import Taro from '@tarojs/taro'
import { CareModeChip, CareModeOffer, PageShell } from '../src/components'
import { CARE_MODE_KEY, careModeStore } from '../src/stores/careMode'
import { mountPerTest } from './dom'

const dom = mountPerTest(() => {
  Taro.removeStorageSync(CARE_MODE_KEY)
  Taro.removeStorageSync('linli.careModeOffered')
  careModeStore.reload()
})

describe('care mode within reach (首页 and the first launch)', () => {
  it('offers care mode once on first launch; accepting turns it on everywhere and marks <html> for the tab bar', () => {
    dom.render(
      <PageShell>
        <CareModeOffer />
      </PageShell>,
    )
    expect(dom.$('#care-offer')?.textContent).toContain('关怀模式')
    dom.click('#care-offer-on')
    expect(careModeStore.isOn()).toBe(true)
    expect(Taro.getStorageSync(CARE_MODE_KEY)).toBe('on')
    expect(document.documentElement.classList.contains('care')).toBe(true)
    expect(dom.$('.page')?.getAttribute('data-care-mode')).toBe('on')
    expect(dom.$('#care-offer')).toBeNull()
  })

  it('is not offered again once declined, and declining keeps normal mode', () => {
    dom.render(<CareModeOffer />)
    dom.click('#care-offer-off')
    expect(careModeStore.isOn()).toBe(false)
    expect(document.documentElement.classList.contains('care')).toBe(false)
    dom.render(null)
    dom.render(<CareModeOffer />)
    expect(dom.$('#care-offer')).toBeNull()
  })

  it('the header chip switches care mode on and off and says which it is', () => {
    dom.render(<CareModeChip />)
    expect(dom.$('#care-chip')?.getAttribute('aria-checked')).toBe('false')
    expect(dom.$('#care-chip')?.textContent).toBe('大字 关')
    dom.click('#care-chip')
    expect(careModeStore.isOn()).toBe(true)
    expect(dom.$('#care-chip')?.getAttribute('aria-checked')).toBe('true')
    expect(dom.$('#care-chip')?.textContent).toBe('大字 开')
    dom.click('#care-chip')
    expect(careModeStore.isOn()).toBe(false)
  })
})
