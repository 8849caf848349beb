/**
 * Exclusive area is stored as an integer count of 0.01 m² (解释第八条: area decides votes, so no floats).
 * Parsing goes through the decimal text, never through a JS number, so "89.45" is exactly 8945.
 */
export const UNIT_KINDS = ['residence', 'parking', 'commercial'] as const
export type UnitKind = (typeof UNIT_KINDS)[number]

/** Where the area figure came from, in the order the law prefers them (register > survey > contract). */
export const AREA_SOURCES = ['register', 'survey', 'contract'] as const
export type AreaSource = (typeof AREA_SOURCES)[number]

export const unitKindLabels: Record<UnitKind, string> = {
  residence: '住宅',
  parking: '车位',
  commercial: '商铺',
}

export const areaSourceLabels: Record<AreaSource, string> = {
  register: '不动产登记簿',
  survey: '实测面积',
  contract: '购房合同',
}

const AREA_TEXT = /^(\d{1,7})(?:\.(\d{1,2}))?$/

/** "89.5" → 8950; null when the text is not a non-negative area with at most two decimals. */
export function parseAreaToCenti(text: string): number | null {
  const m = AREA_TEXT.exec(text.trim())
  if (!m) return null
  const whole = Number(m[1])
  const frac = Number((m[2] ?? '').padEnd(2, '0'))
  return whole * 100 + frac
}

/** 8950 → "89.50" */
export function formatCentiArea(centi: number): string {
  const whole = Math.trunc(centi / 100)
  const frac = String(centi % 100).padStart(2, '0')
  return `${whole}.${frac}`
}
