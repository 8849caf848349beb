/** The phone rule lives in ./phone; re-exported here for the modules that mask and check together. */
export { PHONE_PATTERN, normalizePhone, phoneProblem } from './phone'

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
