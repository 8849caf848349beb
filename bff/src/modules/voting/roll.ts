import { maskName } from '@linli/shared/privacy/mask'
import type { AreaSource, UnitKind } from '@linli/shared/units/area'
import { canonicalJson } from '../../lib/canonical-json'
import { sha256Hex } from '../../lib/crypto'

/**
 * The electoral roll (表决名册) per 解释第八、九条, as a pure function of the roster:
 * - one exclusive unit is one owner; co-owners of a unit cast one vote for it;
 * - one buyer (the same set of holders, identified by phone) with several units is ONE owner, area summed;
 * - all the developer's unsold or undelivered units together are ONE owner;
 * - parking units count only where the community's rules say so.
 * Holders are merged across units only when positively identified by phone; a name alone never merges.
 */
export interface RosterUnitForRoll {
  unitId: number
  label: string
  kind: UnitKind
  areaCenti: number
  areaSource: AreaSource
  developerHeld: boolean
  owners: { name: string; phoneHash: string | null }[]
}

export interface RollEntryDraft {
  ownerKey: string
  isDeveloper: boolean
  holdersMasked: string[]
  areaCenti: number
  units: { unitId: number; label: string; kind: UnitKind; areaCenti: number; areaSource: AreaSource }[]
}

export const DEVELOPER_KEY = 'developer'

function identityOf(u: RosterUnitForRoll): string {
  if (u.developerHeld) return DEVELOPER_KEY
  if (u.owners.length === 0) return `unit:${u.unitId}`
  const ids = u.owners.map((o) => (o.phoneHash ? `p:${o.phoneHash}` : `n:${o.name}@${u.unitId}`)).sort()
  return `o:${sha256Hex(ids.join('|')).slice(0, 32)}`
}

export function computeRoll(
  units: RosterUnitForRoll[],
  opts: { parkingCounts: boolean },
): { entries: RollEntryDraft[]; totalArea: number; totalOwners: number; fingerprint: string } {
  const byKey = new Map<string, RollEntryDraft>()
  for (const u of units) {
    if (u.kind === 'parking' && !opts.parkingCounts) continue
    const key = identityOf(u)
    const entry = byKey.get(key) ?? {
      ownerKey: key,
      isDeveloper: key === DEVELOPER_KEY,
      holdersMasked: [],
      areaCenti: 0,
      units: [],
    }
    entry.areaCenti += u.areaCenti
    entry.units.push({
      unitId: u.unitId,
      label: u.label,
      kind: u.kind,
      areaCenti: u.areaCenti,
      areaSource: u.areaSource,
    })
    for (const o of u.owners) {
      const masked = maskName(o.name)
      if (!entry.holdersMasked.includes(masked)) entry.holdersMasked.push(masked)
    }
    if (entry.isDeveloper && entry.holdersMasked.length === 0) entry.holdersMasked.push('开发建设单位')
    byKey.set(key, entry)
  }
  const entries = [...byKey.values()].sort((a, b) => (a.ownerKey < b.ownerKey ? -1 : a.ownerKey > b.ownerKey ? 1 : 0))
  for (const e of entries) e.units.sort((a, b) => a.unitId - b.unitId)
  const totalArea = entries.reduce((n, e) => n + e.areaCenti, 0)
  return { entries, totalArea, totalOwners: entries.length, fingerprint: rollFingerprint(entries) }
}

/** SHA-256 over the roll as frozen (owner keys, units, areas, sources), published when the vote is. */
export function rollFingerprint(entries: Pick<RollEntryDraft, 'ownerKey' | 'areaCenti' | 'units'>[]): string {
  return sha256Hex(
    canonicalJson(
      [...entries]
        .sort((a, b) => (a.ownerKey < b.ownerKey ? -1 : 1))
        .map((e) => ({
          ownerKey: e.ownerKey,
          areaCenti: e.areaCenti,
          units: [...e.units].sort((a, b) => a.unitId - b.unitId),
        })),
    ),
  )
}

export function itemsFingerprint(v: {
  title: string
  noticeText: string
  announcedAt: Date
  opensAt: Date
  closesAt: Date
  matters: { position: number; category: number; text: string }[]
}): string {
  return sha256Hex(
    canonicalJson({
      title: v.title,
      noticeText: v.noticeText,
      announcedAt: v.announcedAt.toISOString(),
      opensAt: v.opensAt.toISOString(),
      closesAt: v.closesAt.toISOString(),
      matters: [...v.matters].sort((a, b) => a.position - b.position),
    }),
  )
}
