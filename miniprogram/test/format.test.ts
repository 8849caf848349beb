import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime, plainText } from '../src/utils/format'
import { parseLocalDateTime, toLocalInput } from '../src/packages/voting/lib/datetime'

describe('the one date format', () => {
  it('writes local date and time with a no-break space, so a time never wraps between its parts', () => {
    const iso = new Date(2026, 11, 4, 9, 5).toISOString()
    expect(formatDateTime(iso)).toBe('2026-\u206012-\u206004\u00a009:05')
    expect(formatDate(iso)).toBe('2026-\u206012-\u206004')
    expect(plainText(formatDateTime(iso))).toBe('2026-12-04 09:05')
  })

  it('writes nothing for a missing or broken time', () => {
    expect(formatDateTime(null)).toBe('')
    expect(formatDateTime('not a time')).toBe('')
    expect(formatDate(undefined)).toBe('')
  })

  it('gives inputs a plain space and reads either back', () => {
    const iso = new Date(2026, 11, 4, 9, 5).toISOString()
    expect(toLocalInput(iso)).toBe('2026-12-04 09:05')
    expect(parseLocalDateTime(formatDateTime(iso))).toBe(iso)
  })
})
