/**
 * Shortening text for fields with a length limit (WeChat's subscribe-message `thing` fields hold 20 characters,
 * summaries on lists, log columns). Text is cut between characters, never inside one: `String.slice` counts
 * UTF-16 units and can leave half an emoji (a lone surrogate), which is not valid Unicode, fails the database's
 * JSON check and garbles the message. Grapheme clusters (an emoji with a skin tone, a flag, 👨‍👩‍👧) stay whole
 * where the runtime can segment them; elsewhere code points are whole.
 */

type Segmenter = { segment(text: string): Iterable<{ segment: string }> }
let segmenter: Segmenter | null | undefined

function graphemes(text: string): string[] {
  if (segmenter === undefined) {
    const Seg = (
      Intl as unknown as { Segmenter?: new (locale?: string, opts?: { granularity: 'grapheme' }) => Segmenter }
    ).Segmenter
    segmenter = Seg ? new Seg(undefined, { granularity: 'grapheme' }) : null
  }
  return segmenter ? Array.from(segmenter.segment(text), (s) => s.segment) : Array.from(text)
}

/** How many characters a person sees (grapheme clusters where the runtime knows them, else code points). */
export function textLength(text: string): number {
  return graphemes(text).length
}

/** At most `max` characters; when cut, the last one is an ellipsis (so the result still fits `max`). */
export function cutText(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text // UTF-16 length ≥ characters: nothing to cut
  const chars = graphemes(text)
  if (chars.length <= max) return text
  if (max <= 0) return ''
  const keep = Math.max(0, max - textLength(ellipsis))
  return chars.slice(0, keep).join('') + (keep < max ? ellipsis : '')
}

/** The text as one line of at most `max` characters: whitespace runs (newlines too) become one space. */
export function summaryOf(text: string, max: number): string {
  return cutText(text.replace(/\s+/g, ' ').trim(), max)
}

/** True when the text holds a lone UTF-16 surrogate (not valid Unicode: cannot be stored as JSON or utf8mb4). */
export function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)
}
