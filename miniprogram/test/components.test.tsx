import { act } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import Taro from '@tarojs/taro'
import type { Membership } from '@linli/shared/schemas'
import { MembershipSummary, PageShell, StateBadge } from '../src/components'
import { CARE_MODE_KEY, careModeStore } from '../src/stores/careMode'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

let host: HTMLElement
let root: Root

beforeEach(() => {
  host = document.createElement('div')
  document.body.appendChild(host)
  root = createRoot(host)
})
afterEach(() => {
  act(() => root.unmount())
  host.remove()
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
  createdAt: '2026-11-20T08:00:00.000Z',
})

describe('StateBadge', () => {
  it.each([
    ['pending', '待审核'],
    ['verified', '已认证'],
    ['rejected', '未通过'],
  ] as const)('%s reads %s, with a state class and a stable id', (state, label) => {
    act(() => root.render(<StateBadge state={state} id={`household-1-state`} />))
    const el = host.querySelector('#household-1-state')
    expect(el).not.toBeNull()
    expect(el!.textContent).toBe(label)
    expect(el!.className).toContain(`badge--${state}`)
    expect(el!.getAttribute('data-state')).toBe(state)
  })
})

describe('MembershipSummary', () => {
  it('lists each household with its unit, relation and state badge', () => {
    act(() => root.render(<MembershipSummary items={[membership(1, 'verified'), membership(2, 'rejected')]} idPrefix='me-household' />))
    expect(host.querySelector('#me-household-1')!.textContent).toContain('阳光花园 1栋 101')
    expect(host.querySelector('#me-household-1')!.textContent).toContain('家庭成员')
    expect(host.querySelector('#me-household-1-state')!.textContent).toBe('已认证')
    expect(host.querySelector('#me-household-2-state')!.textContent).toBe('未通过')
  })
})

describe('PageShell', () => {
  it('puts the care-mode class on the page root and follows changes made elsewhere', () => {
    careModeStore.set('off')
    act(() => root.render(<PageShell>内容</PageShell>))
    const page = () => host.querySelector('.page')!
    expect(page().className).not.toContain('page--care')

    act(() => careModeStore.set('on'))
    expect(page().className).toContain('page--care')
    expect(page().getAttribute('data-care-mode')).toBe('on')
  })
})
