import type { UnitRef } from '@linli/shared/schemas'
import { unitKindLabels } from '@linli/shared/units/area'

/** 阳光花园 1栋 101 (车位/商铺 marked; 住宅 is the default and left out) */
export function unitLabel(unit: Pick<UnitRef, 'communityName' | 'buildingName' | 'number' | 'kind'>): string {
  const kind = unit.kind === 'residence' ? '' : `（${unitKindLabels[unit.kind]}）`
  return `${unit.communityName} ${unit.buildingName} ${unit.number}${kind}`
}

/** U+2060 WORD JOINER: invisible, and no line break on either side (browsers break after a hyphen otherwise). */
const WJ = '\u2060'

/**
 * The one way the app writes a time: 2026-11-22 14:05, in the phone's local time. A time is never split over two
 * lines ("2026-12-" / "11"): its hyphens are followed by a word joiner and date and time are joined by a no-break
 * space.
 */
export function formatDateTime(iso: string | null | undefined): string {
  const d = iso ? new Date(iso) : null
  if (!d || Number.isNaN(d.getTime())) return ''
  return `${formatDate(iso)}\u00a0${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** 2026-11-22 (local), never split over two lines */
export function formatDate(iso: string | null | undefined): string {
  const d = iso ? new Date(iso) : null
  if (!d || Number.isNaN(d.getTime())) return ''
  return `${d.getFullYear()}-${WJ}${pad(d.getMonth() + 1)}-${WJ}${pad(d.getDate())}`
}

/** The same text without the invisible joiners and with plain spaces: for inputs and copying. */
export function plainText(text: string): string {
  return text.replace(/\u2060/g, '').replace(/\u00a0/g, ' ')
}

const pad = (n: number) => String(n).padStart(2, '0')

/** 早上好 / 下午好 / 晚上好 */
export function greeting(now: Date = new Date()): string {
  const h = now.getHours()
  if (h < 5) return '夜深了'
  if (h < 11) return '早上好'
  if (h < 13) return '中午好'
  if (h < 18) return '下午好'
  return '晚上好'
}
