import { hasLoneSurrogate } from '../text'

/**
 * Names a person types: the display name others see (我的 → 昵称) and the real name an applicant states when
 * binding a household (what the reviewer compares with the roster). One check for the mini-program and the BFF.
 */
export const DISPLAY_NAME_MAX = 20
/** long enough for minority names written with the middle dot (e.g. 阿依古丽·买买提) */
export const REAL_NAME_MAX = 20

export type NameProblemCode = 'blank' | 'too_long' | 'invalid_chars'
export interface NameProblem {
  code: NameProblemCode
  message: string
}

// control characters and the invisible format characters (zero-width, direction marks) make a name that looks
// like another person's; the zero-width joiner stays (it joins emoji sequences such as 👨‍👩‍👧)
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b\u200c\u200e\u200f\u2028-\u202e\u2060-\u2064\ufeff]/

/** Characters as the database counts them (utf8mb4 code points): an emoji sequence counts as its parts. */
export function nameLength(name: string): number {
  return Array.from(name).length
}

/** null when `raw` (trimmed) is a usable name of at most `max` characters (code points: the column's unit). */
export function nameProblem(raw: string, max: number, what = '名字'): NameProblem | null {
  if (hasLoneSurrogate(raw) || INVISIBLE.test(raw))
    return { code: 'invalid_chars', message: `${what}中有无法显示的字符，请重新输入` }
  const name = raw.trim()
  if (name === '') return { code: 'blank', message: `请填写${what}` }
  const n = nameLength(name)
  if (n > max) return { code: 'too_long', message: `${what}最多 ${max} 个字，您填了 ${n} 个` }
  return null
}

/** The name as stored: trimmed, inner runs of spaces made one. */
export function cleanName(raw: string): string {
  return raw.trim().replace(/\s+/g, ' ')
}

/**
 * Whether a stated name is the same as a roster name: ignoring spaces, the middle-dot variants and letter case
 * (the roster was typed by someone else). Never tells anything about the roster name beyond equal / not.
 */
export function sameName(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .normalize('NFKC')
      .replace(/[\s·•・.．]/g, '')
      .toLowerCase()
  const x = norm(a)
  return x !== '' && x === norm(b)
}
