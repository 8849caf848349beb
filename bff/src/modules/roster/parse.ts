import { parse } from 'csv-parse/sync'
import { AREA_SOURCES, UNIT_KINDS, parseAreaToCenti, type AreaSource, type UnitKind } from '@linli/shared/units/area'
import { normalizePhone } from '@linli/shared/privacy/mask'

/** One unit of the roster as every input path (CSV file, property webhook) hands it to the importer. */
export interface RosterUnitInput {
  line: number
  building: string
  unit: string
  kind: UnitKind
  areaCenti: number
  areaSource: AreaSource
  owners: { name: string; phone: string | null }[]
  /** unsold or undelivered: the developer's units count together as one owner in votes */
  developerHeld?: boolean
}

export interface Rejection {
  line: number
  reason: string
}

const KIND_ALIASES: Record<string, UnitKind> = {
  住宅: 'residence',
  车位: 'parking',
  车库: 'parking',
  商铺: 'commercial',
  商业: 'commercial',
}
const SOURCE_ALIASES: Record<string, AreaSource> = {
  登记: 'register',
  登记簿: 'register',
  不动产登记簿: 'register',
  产权证: 'register',
  实测: 'survey',
  实测面积: 'survey',
  合同: 'contract',
  购房合同: 'contract',
}
const HEADERS: Record<string, keyof typeof COLUMN> = {
  building: 'building',
  楼栋: 'building',
  unit: 'unit',
  房号: 'unit',
  kind: 'kind',
  类型: 'kind',
  area: 'area',
  面积: 'area',
  area_source: 'areaSource',
  'area source': 'areaSource',
  面积来源: 'areaSource',
  owner_names: 'ownerNames',
  'owner names': 'ownerNames',
  业主姓名: 'ownerNames',
  owner_phones: 'ownerPhones',
  'owner phones': 'ownerPhones',
  业主电话: 'ownerPhones',
  developer_held: 'developerHeld',
  'developer held': 'developerHeld',
  开发商持有: 'developerHeld',
}
const COLUMN = {
  building: 0,
  unit: 1,
  kind: 2,
  area: 3,
  areaSource: 4,
  ownerNames: 5,
  ownerPhones: 6,
  developerHeld: 7,
}
const YES = new Set(['yes', 'true', '1', '是', 'y'])
const NO = new Set(['', 'no', 'false', '0', '否', 'n'])

/**
 * Building names and unit numbers are matched the way the database's case-insensitive collation compares them
 * ("A栋" = "a栋", full-width = half-width), so a roster cannot create what the unique keys would refuse.
 */
export const foldName = (s: string) => s.normalize('NFKC').toLowerCase()
export const unitKey = (building: string | number, unit: string) =>
  `${typeof building === 'string' ? foldName(building) : building}\u0000${foldName(unit)}`

const splitList = (s: string) =>
  s
    .split(/[;；、|]/)
    .map((x) => x.trim())
    .filter(Boolean)

/** Validates one raw record; the same checks serve the CSV file and the property companies' webhook. */
export function validateRosterUnit(
  line: number,
  raw: {
    building: string
    unit: string
    kind: string
    area: string
    areaSource: string
    ownerNames: string[]
    ownerPhones: string[]
    developerHeld?: string
  },
): RosterUnitInput | Rejection {
  const building = raw.building.trim()
  const unit = raw.unit.trim()
  if (!building || building.length > 32) return { line, reason: 'building: required, at most 32 characters' }
  if (!unit || unit.length > 32) return { line, reason: 'unit: required, at most 32 characters' }
  const kindText = raw.kind.trim()
  const kind = (UNIT_KINDS as readonly string[]).includes(kindText) ? (kindText as UnitKind) : KIND_ALIASES[kindText]
  if (!kind)
    return { line, reason: `kind: "${kindText}" is not one of residence, parking, commercial (住宅/车位/商铺)` }
  const areaCenti = parseAreaToCenti(raw.area)
  if (areaCenti === null || areaCenti === 0)
    return { line, reason: `area: "${raw.area}" is not a positive area in m² with at most two decimals` }
  const sourceText = raw.areaSource.trim()
  const areaSource = (AREA_SOURCES as readonly string[]).includes(sourceText)
    ? (sourceText as AreaSource)
    : SOURCE_ALIASES[sourceText]
  if (!areaSource)
    return { line, reason: `area source: "${sourceText}" is not one of register, survey, contract (登记/实测/合同)` }
  if (raw.ownerNames.length === 0) return { line, reason: 'owner names: at least one owner is required' }
  if (raw.ownerPhones.length > raw.ownerNames.length)
    return { line, reason: 'owner phones: more phones than owner names' }
  const owners: RosterUnitInput['owners'] = []
  for (const [i, name] of raw.ownerNames.entries()) {
    if (name.length > 64) return { line, reason: `owner names: "${name.slice(0, 10)}…" is longer than 64 characters` }
    const rawPhone = raw.ownerPhones[i]
    const phone = rawPhone ? normalizePhone(rawPhone) : null
    if (rawPhone && !phone) return { line, reason: `owner phones: "${rawPhone}" is not a mainland mobile number` }
    owners.push({ name, phone })
  }
  const flag = (raw.developerHeld ?? '').trim().toLowerCase()
  if (!YES.has(flag) && !NO.has(flag))
    return { line, reason: `developer held: "${raw.developerHeld}" is not yes/no (是/否)` }
  return { line, building, unit, kind, areaCenti, areaSource, owners, developerHeld: YES.has(flag) }
}

export type RawRosterUnit = Parameters<typeof validateRosterUnit>[1]

/**
 * Validates raw units (from a CSV file or a property company's webhook) and refuses a second occurrence of the
 * same unit, names compared as the database compares them.
 */
export function collectRosterUnits(rows: Iterable<{ line: number; raw: RawRosterUnit }>): {
  units: RosterUnitInput[]
  rejected: Rejection[]
} {
  const units: RosterUnitInput[] = []
  const rejected: Rejection[] = []
  const seen = new Map<string, number>()
  for (const { line, raw } of rows) {
    const result = validateRosterUnit(line, raw)
    if ('reason' in result) {
      rejected.push(result)
      continue
    }
    const key = unitKey(result.building, result.unit)
    const first = seen.get(key)
    if (first !== undefined) {
      rejected.push({ line, reason: `duplicate of line ${first} (${result.building} ${result.unit})` })
      continue
    }
    seen.set(key, line)
    units.push(result)
  }
  return { units, rejected }
}

/** CSV (UTF-8, with or without BOM, header row in English or Chinese) → valid units and line-numbered rejections. */
export function parseRosterCsv(text: string): { units: RosterUnitInput[]; rejected: Rejection[] } {
  // Blank lines are dropped here rather than by csv-parse, counting every line break of each record's raw text,
  // so a reported line is the line of the file where the record starts (blank lines and multi-line cells included).
  const parsed = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, trim: true, raw: true }) as unknown as {
    record: string[]
    raw: string
  }[]
  const records: { line: number; cells: string[] }[] = []
  let nextLine = 1
  for (const { record, raw } of parsed) {
    if (record.some((c) => c !== '')) records.push({ line: nextLine, cells: record })
    nextLine += raw.match(/\r\n|\r|\n/g)?.length ?? 0
  }
  let start = 0
  let columns = COLUMN
  const header = records[0]?.cells.map((h) => HEADERS[h.toLowerCase()])
  if (header && header.filter(Boolean).length >= 5) {
    start = 1
    columns = Object.fromEntries(header.map((key, i) => [key, i]).filter(([key]) => key)) as typeof COLUMN
  }
  return collectRosterUnits(
    records.slice(start).map(({ line, cells: r }) => {
      const cell = (k: keyof typeof COLUMN) => r[columns[k]] ?? ''
      return {
        line,
        raw: {
          building: cell('building'),
          unit: cell('unit'),
          kind: cell('kind'),
          area: cell('area'),
          areaSource: cell('areaSource'),
          ownerNames: splitList(cell('ownerNames')),
          ownerPhones: splitList(cell('ownerPhones')),
          developerHeld: cell('developerHeld'),
        },
      }
    }),
  )
}
