import { describe, expect, it } from 'vitest'
import {
  SLA_MAX_MINUTES,
  acceptDueAt,
  addMinutes,
  assertSla,
  isOverdue,
  meanCenti,
  median,
  metDeadline,
  nextUrgeAt,
  resolveDueAt,
  secondsBetween,
  shareBasisPoints,
  urgeWaitSeconds,
} from '../src/service-requests/sla'
import { URGE_COOLDOWN_MINUTES } from '../src/service-requests/rules'
import { DEFAULT_CATEGORIES } from '../src/service-requests/labels'
import { validateAttributeDefs } from '../src/service-requests/attributes'

const T0 = new Date('2026-03-01T23:50:00.000Z')
const ms = (d: Date) => d.getTime()

describe('deadlines', () => {
  it('accept is due acceptMinutes after filing, resolve resolveMinutes after acceptance (calendar minutes, across midnight and month ends)', () => {
    expect(acceptDueAt(T0, { acceptMinutes: 30 }).toISOString()).toBe('2026-03-02T00:20:00.000Z')
    expect(resolveDueAt(new Date('2026-02-28T12:00:00Z'), { resolveMinutes: 24 * 60 }).toISOString()).toBe(
      '2026-03-01T12:00:00.000Z',
    )
    expect(resolveDueAt(T0, { resolveMinutes: 1 }).toISOString()).toBe('2026-03-01T23:51:00.000Z')
  })

  it('is overdue from the due instant on, and a step taken at the due instant still meets it', () => {
    const due = addMinutes(T0, 15)
    expect(isOverdue(due, new Date(ms(due) - 1))).toBe(false)
    expect(isOverdue(due, due)).toBe(true)
    expect(isOverdue(due, new Date(ms(due) + 1))).toBe(true)
    expect(metDeadline(due, due)).toBe(true)
    expect(metDeadline(new Date(ms(due) + 1), due)).toBe(false)
    expect(metDeadline(new Date(ms(due) - 60_000), due)).toBe(true)
  })

  it('refuses SLAs that are not whole minutes in range', () => {
    expect(() => assertSla({ acceptMinutes: 30, resolveMinutes: 1440 })).not.toThrow()
    expect(() => assertSla({ acceptMinutes: 0, resolveMinutes: 1440 })).toThrow(/acceptMinutes/)
    expect(() => assertSla({ acceptMinutes: 1.5, resolveMinutes: 1440 })).toThrow(/acceptMinutes/)
    expect(() => assertSla({ acceptMinutes: 30, resolveMinutes: SLA_MAX_MINUTES + 1 })).toThrow(/resolveMinutes/)
  })

  it('counts whole seconds, truncating', () => {
    expect(secondsBetween(T0, new Date(ms(T0) + 1999))).toBe(1)
    expect(secondsBetween(T0, addMinutes(T0, 90))).toBe(5400)
  })
})

describe('the urge cooldown', () => {
  it('is five minutes (ejyy)', () => {
    expect(URGE_COOLDOWN_MINUTES).toBe(5)
  })

  it('allows the first urge at once, then waits the cooldown, rounding the wait up to whole seconds', () => {
    expect(urgeWaitSeconds(null, T0, 5)).toBe(0)
    expect(nextUrgeAt(null, 5)).toBeNull()
    expect(nextUrgeAt(T0, 5)!.toISOString()).toBe('2026-03-01T23:55:00.000Z')
    expect(urgeWaitSeconds(T0, T0, 5)).toBe(300)
    expect(urgeWaitSeconds(T0, new Date(ms(T0) + 299_001), 5)).toBe(1)
    expect(urgeWaitSeconds(T0, new Date(ms(T0) + 300_000), 5)).toBe(0)
    expect(urgeWaitSeconds(T0, new Date(ms(T0) + 400_000), 5)).toBe(0)
  })
})

describe('figures arithmetic', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([])).toBeNull()
    expect(median([7])).toBe(7)
    expect(median([9, 1, 5])).toBe(5)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([60, 60, 600, 3600])).toBe(330)
    expect(median([1, 2])).toBe(1.5)
  })

  it('gives shares in basis points rounded down, and nothing for 0 of 0', () => {
    expect(shareBasisPoints(2, 3)).toBe(6666)
    expect(shareBasisPoints(3, 3)).toBe(10000)
    expect(shareBasisPoints(0, 5)).toBe(0)
    expect(shareBasisPoints(0, 0)).toBeNull()
  })

  it('gives means to two decimals', () => {
    expect(meanCenti(13, 3)).toBe(4.33)
    expect(meanCenti(14, 3)).toBe(4.67)
    expect(meanCenti(10, 2)).toBe(5)
    expect(meanCenti(0, 0)).toBeNull()
  })
})

describe('default categories', () => {
  it('are the six of the issue, each with a sane SLA and valid questions', () => {
    expect(DEFAULT_CATEGORIES.map((c) => c.name)).toEqual([
      '公共维修',
      '户内维修',
      '环境卫生',
      '安全隐患',
      '投诉',
      '建议',
    ])
    for (const c of DEFAULT_CATEGORIES) {
      expect(() => assertSla(c)).not.toThrow()
      expect(c.acceptMinutes).toBeLessThan(c.resolveMinutes)
      expect(validateAttributeDefs(c.attributes), c.name).toEqual([])
    }
    expect(DEFAULT_CATEGORIES.find((c) => c.name === '安全隐患')!.urgency).toBe('urgent')
  })
})
