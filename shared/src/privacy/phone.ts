/**
 * The one rule for mainland mobile numbers (11 digits, 1 then 3–9), used by every phone input of the
 * mini-program and by the BFF. `phoneProblem` says WHY a number is refused, so a person can fix what they typed.
 */
export const PHONE_PATTERN = '^1[3-9][0-9]{9}$'
const PHONE_RE = new RegExp(PHONE_PATTERN)

export const PHONE_DIGITS = 11

export type PhoneProblemCode = 'empty' | 'not_digits' | 'too_short' | 'too_long' | 'first_digit' | 'second_digit'

export interface PhoneProblem {
  code: PhoneProblemCode
  /** what the person reads, in Chinese */
  message: string
  /** digits counted after spaces, dashes and a +86 prefix were removed (too_short / too_long) */
  digits?: number
  /** the offending character (not_digits, first_digit, second_digit) */
  found?: string
}

/** Spaces, tabs and dashes between digit groups are fine; a +86 country prefix too, and a bare 86 before 11 digits. */
function stripped(raw: string): string {
  const s = raw.replace(/[\s-]/g, '')
  if (s.startsWith('+86')) return s.slice(3)
  if (/^86\d{11}$/.test(s)) return s.slice(2)
  return s
}

/** The number as 11 digits, or null when it is not a mainland mobile number (phoneProblem says why). */
export function normalizePhone(raw: string): string | null {
  const digits = stripped(raw)
  return PHONE_RE.test(digits) ? digits : null
}

/** null when `raw` is a mainland mobile number; otherwise the first thing wrong with it. */
export function phoneProblem(raw: string): PhoneProblem | null {
  const s = stripped(raw)
  if (s === '') return { code: 'empty', message: '请填写手机号' }
  const bad = Array.from(s).find((c) => c < '0' || c > '9')
  if (bad !== undefined) {
    const shown = bad === '+' ? '“+”（只有 +86 可以写在最前面）' : `“${bad}”`
    return { code: 'not_digits', found: bad, message: `手机号只能是数字，其中有${shown}` }
  }
  if (s.length !== PHONE_DIGITS) {
    const code = s.length < PHONE_DIGITS ? 'too_short' : 'too_long'
    return { code, digits: s.length, message: `手机号应为 ${PHONE_DIGITS} 位数字，您填了 ${s.length} 位` }
  }
  if (s[0] !== '1') {
    const landline = s[0] === '0' ? '，这像是座机号码' : ''
    return { code: 'first_digit', found: s[0], message: `手机号以 1 开头，您填的以 ${s[0]} 开头${landline}` }
  }
  if (!PHONE_RE.test(s)) return { code: 'second_digit', found: s[1], message: `手机号第二位应为 3–9，您填的是 ${s[1]}` }
  return null
}
