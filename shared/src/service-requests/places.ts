/**
 * "附近已有相同问题": which earlier requests are about the same place as the one being filed (domain.md §3:
 * duplicate suggestions before submit, same category nearby). A building's shared parts match by the building;
 * a public area has no id, only the words the resident typed ("北门岗亭", "小区北门"), so those are compared here.
 */

/** Words that say nothing about where: "小区" / "本小区" before a place, and spaces and punctuation anywhere. */
const LEADING_FILLER = /^(本小区|小区内|小区里|小区)/
// (listed, not \p{P}: older WeChat JavaScript engines lack Unicode property escapes)
const NOISE = /[\s.,;:!?'"()[\]{}<>\-_~*#/\\|+=@&%^`·—–…、，。；：！？“”‘’（）【】《》〈〉「」『』]+/g

/** The place as compared: full-width folded to half-width (NFKC), lower case, no spaces, punctuation or filler. */
export function placeKey(detail: string | null | undefined): string {
  return (detail ?? '').normalize('NFKC').toLowerCase().replace(NOISE, '').replace(LEADING_FILLER, '')
}

/**
 * Two public places are the same when one names the other, e.g. "北门" and "北门岗亭" or "小区北门"; "北门" and
 * "南门" are not. A place of fewer than two characters matches only itself (a lone "门" is not a place).
 */
export function samePlace(a: string | null | undefined, b: string | null | undefined): boolean {
  const x = placeKey(a)
  const y = placeKey(b)
  if (!x || !y) return false
  if (x === y) return true
  const [short, long] = x.length <= y.length ? [x, y] : [y, x]
  return Array.from(short).length >= 2 && long.includes(short)
}
