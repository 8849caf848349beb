import type { UnitRef } from '@linli/shared/schemas'
import { unitKindLabels } from '@linli/shared/units/area'

/** 阳光花园 1栋 101 (车位/商铺 marked; 住宅 is the default and left out) */
export function unitLabel(unit: Pick<UnitRef, 'communityName' | 'buildingName' | 'number' | 'kind'>): string {
  const kind = unit.kind === 'residence' ? '' : `（${unitKindLabels[unit.kind]}）`
  return `${unit.communityName} ${unit.buildingName} ${unit.number}${kind}`
}

/** ISO time → 2026-11-22 14:05 in the phone's local time */
export function formatDateTime(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}

/** 早上好 / 下午好 / 晚上好 */
export function greeting(now: Date = new Date()): string {
  const h = now.getHours()
  if (h < 5) return '夜深了'
  if (h < 11) return '早上好'
  if (h < 13) return '中午好'
  if (h < 18) return '下午好'
  return '晚上好'
}
