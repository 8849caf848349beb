/** Mainland mobile numbers are 11 digits starting with 1. */
export const PHONE_PATTERN = '^1[3-9][0-9]{9}$'

export function normalizePhone(raw: string): string | null {
  const digits = raw.replace(/[\s-]/g, '').replace(/^\+?86/, '')
  return new RegExp(PHONE_PATTERN).test(digits) ? digits : null
}

/** 13812341234 → 138****1234 (个人信息保护法: show the minimum). */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length)
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`
}

/** 张三 → 张*, 欧阳娜娜 → 欧***, Alice → A**** */
export function maskName(name: string): string {
  const chars = Array.from(name.trim())
  if (chars.length === 0) return ''
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1))
}
