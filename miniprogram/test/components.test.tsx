import { act } from 'react'
import { describe, expect, it } from 'vitest'
import Taro from '@tarojs/taro'
import type { Membership } from '@linli/shared/schemas'
import { MembershipSummary, PageShell, StateBadge } from '../src/components'
import { CARE_MODE_KEY, careModeStore } from '../src/stores/careMode'
import { mountPerTest } from './dom'

const dom = mountPerTest(() => {
  Taro.removeStorageSync(CARE_MODE_KEY)
  careModeStore.reload()
})

const membership = (id: number, state: Membership['state']): Membership => ({
  id,
  unit: {
    id: 100 + id,
    number: '101',
    kind: 'residence',
    buildingId: 1,
    buildingName: '1栋',
    communityId: 1,
    communityName: '阳光花园',
  },
  relation: 'family',
  state,
  method: null,
  reviewedAt: null,
  rejectReason: null,
  statedName: null,
  proof: null,
  createdAt: '2026-11-20T08:00:00.000Z',
})

describe('StateBadge', () => {
  it.each([
    ['pending', '待审核'],
    ['verified', '已认证'],
    ['rejected', '未通过'],
  ] as const)('%s reads %s, with a state class and a stable id', (state, label) => {
    dom.render(<StateBadge state={state} id={`household-1-state`} />)
    const el = dom.host.querySelector('#household-1-state')
    expect(el).not.toBeNull()
    expect(el!.textContent).toBe(label)
    expect(el!.className).toContain(`badge--${state}`)
    expect(el!.getAttribute('data-state')).toBe(state)
  })
})

describe('MembershipSummary', () => {
  it('lists each household with its unit, relation and state badge', () => {
    dom.render(
      <MembershipSummary items={[membership(1, 'verified'), membership(2, 'rejected')]} idPrefix='me-household' />,
    )
    expect(dom.host.querySelector('#me-household-1')!.textContent).toContain('阳光花园 1栋 101')
    expect(dom.host.querySelector('#me-household-1')!.textContent).toContain('家庭成员')
    expect(dom.host.querySelector('#me-household-1-state')!.textContent).toBe('已认证')
    expect(dom.host.querySelector('#me-household-2-state')!.textContent).toBe('未通过')
  })
})

describe('PageShell', () => {
  it('puts the care-mode class on the page root and follows changes made elsewhere', () => {
    careModeStore.set('off')
    dom.render(<PageShell>内容</PageShell>)
    const page = () => dom.host.querySelector('.page')!
    expect(page().className).not.toContain('page--care')

    act(() => careModeStore.set('on'))
    expect(page().className).toContain('page--care')
    expect(page().getAttribute('data-care-mode')).toBe('on')
  })
})
