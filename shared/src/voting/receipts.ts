/**
 * The shape of a ballot receipt (回执码): the first 8 hexadecimal characters of the ballot's hash, in capitals,
 * lengthened by two where two ballots of a vote would share one (docs/owners-voting.md). One rule for both sides:
 * the mini-program checks what was typed before asking, the BFF refuses anything else with RECEIPT_MALFORMED.
 */
export const RECEIPT_LENGTH = 8
export const RECEIPT_MAX_LENGTH = 64

export type ReceiptCodeCheck =
  | { ok: true; code: string }
  | { ok: false; problem: 'empty' | 'characters' | 'length'; message: string }

const SHAPE = `回执码是 ${RECEIPT_LENGTH} 位字母和数字（数字 0–9、字母 A–F）`

/** Full-width letters and digits (typed with a Chinese input method) as their ASCII forms. */
function halfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ')
}

/**
 * What was typed → the receipt to look up, or what is wrong with it in plain Chinese. Spaces and dashes are
 * dropped (people copy receipts in groups), small letters and full-width characters are accepted.
 */
export function checkReceiptCode(input: string): ReceiptCodeCheck {
  const code = halfWidth(input)
    .replace(/[\s\-－—]/g, '')
    .toUpperCase()
  if (code === '') return { ok: false, problem: 'empty', message: `请输入回执码：${SHAPE}，投票成功后显示在页面上。` }
  const wrong = [...new Set([...code].filter((c) => !/[0-9A-F]/.test(c)))]
  if (wrong.length > 0) {
    const hints: string[] = []
    if (wrong.includes('O')) hints.push('字母 O 应为数字 0')
    if (wrong.includes('I') || wrong.includes('L')) hints.push('字母 I、L 应为数字 1')
    const shown = wrong
      .slice(0, 3)
      .map((c) => `「${c}」`)
      .join('')
    return {
      ok: false,
      problem: 'characters',
      message: `${SHAPE}，不含${shown}${hints.length ? `：${hints.join('，')}` : ''}，请核对。`,
    }
  }
  const n = code.length
  const lengthOk = n >= RECEIPT_LENGTH && n <= RECEIPT_MAX_LENGTH && (n - RECEIPT_LENGTH) % 2 === 0
  if (!lengthOk) {
    const off = n < RECEIPT_LENGTH ? `少了 ${RECEIPT_LENGTH - n} 位` : `多了 ${n - RECEIPT_LENGTH} 位`
    return { ok: false, problem: 'length', message: `${SHAPE}，您输入了 ${n} 位，${off}，请核对。` }
  }
  return { ok: true, code }
}
