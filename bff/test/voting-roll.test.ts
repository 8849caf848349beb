import { describe, expect, it } from 'vitest'
import {
  DEVELOPER_KEY,
  computeRoll,
  itemsFingerprint,
  rollFingerprint,
  type RosterUnitForRoll,
} from '../src/modules/voting/roll'

/** The electoral roll per 解释第八、九条 (domain.md §1), computed from the roster without a database. */

type Owner = RosterUnitForRoll['owners'][number]
const X: Owner = { name: '王秀英', phoneHash: 'phonehash-x-0001' }
const Y: Owner = { name: '李建国', phoneHash: 'phonehash-y-0002' }
const Z: Owner = { name: '欧阳娜娜', phoneHash: 'phonehash-z-0003' }

function unit(
  unitId: number,
  areaCenti: number,
  owners: Owner[],
  over: Partial<RosterUnitForRoll> = {},
): RosterUnitForRoll {
  return {
    unitId,
    label: `1栋 ${100 + unitId}`,
    kind: 'residence',
    areaCenti,
    areaSource: 'register',
    developerHeld: false,
    owners,
    ...over,
  }
}

const roll = (units: RosterUnitForRoll[], parkingCounts = false) => computeRoll(units, { parkingCounts })
const entryWithUnit = (r: ReturnType<typeof roll>, unitId: number) =>
  r.entries.find((e) => e.units.some((u) => u.unitId === unitId))
const unitIdsOf = (r: ReturnType<typeof roll>) => r.entries.map((e) => e.units.map((u) => u.unitId))

describe('computeRoll: who is one owner', () => {
  it('one buyer with two units (same phone) is ONE owner, area summed', () => {
    const r = roll([unit(1, 8945, [X]), unit(2, 12000, [X])])
    expect(r.entries).toHaveLength(1)
    expect(r.entries[0]).toMatchObject({ isDeveloper: false, areaCenti: 20945, holdersMasked: ['王**'] })
    expect(r.entries[0]!.units.map((u) => u.unitId)).toEqual([1, 2])
    expect(r.totalOwners).toBe(1)
    expect(r.totalArea).toBe(20945)
  })

  it('the same buyer is recognised by phone even if the name is written differently', () => {
    const r = roll([unit(1, 100, [X]), unit(2, 200, [{ name: '王秀瑛', phoneHash: X.phoneHash }])])
    expect(r.entries).toHaveLength(1)
    expect(r.entries[0]!.areaCenti).toBe(300)
  })

  it('co-owners of one unit cast one vote: one entry with both holders', () => {
    const r = roll([unit(1, 9000, [X, Y])])
    expect(r.entries).toHaveLength(1)
    expect(r.entries[0]!.areaCenti).toBe(9000)
    expect([...r.entries[0]!.holdersMasked].sort()).toEqual(['李**', '王**'])
    expect(r.totalOwners).toBe(1)
  })

  it('co-owners without phones on one unit are still one entry', () => {
    const r = roll([
      unit(1, 9000, [
        { name: '张伟', phoneHash: null },
        { name: '刘芳', phoneHash: null },
      ]),
    ])
    expect(r.entries).toHaveLength(1)
    expect(r.totalOwners).toBe(1)
  })

  it('the same pair of co-owners on two units, listed in either order, is one owner', () => {
    const r = roll([unit(1, 100, [X, Y]), unit(2, 200, [Y, X])])
    expect(r.entries).toHaveLength(1)
    expect(r.entries[0]!.areaCenti).toBe(300)
  })

  it('units whose holder sets differ (X alone vs X+Y) are two owners', () => {
    const r = roll([unit(1, 100, [X]), unit(2, 200, [X, Y])])
    expect(r.entries).toHaveLength(2)
    expect(entryWithUnit(r, 1)!.areaCenti).toBe(100)
    expect(entryWithUnit(r, 2)!.areaCenti).toBe(200)
    expect(entryWithUnit(r, 1)!.ownerKey).not.toBe(entryWithUnit(r, 2)!.ownerKey)
    expect(r.totalOwners).toBe(2)
  })

  it('two units with the same NAME but no phone are two owners (names never merge)', () => {
    const r = roll([
      unit(1, 100, [{ name: '张伟', phoneHash: null }]),
      unit(2, 200, [{ name: '张伟', phoneHash: null }]),
    ])
    expect(r.entries).toHaveLength(2)
    expect(unitIdsOf(r).sort()).toEqual([[1], [2]])
    expect(r.totalOwners).toBe(2)
  })

  it('a name without a phone never merges with the same name that has one', () => {
    const r = roll([
      unit(1, 100, [{ name: '张伟', phoneHash: null }]),
      unit(2, 200, [{ name: '张伟', phoneHash: 'phonehash-w' }]),
    ])
    expect(r.entries).toHaveLength(2)
  })

  it('a holder set that includes someone without a phone is not positively identified: two units, two owners', () => {
    const W: Owner = { name: '张伟', phoneHash: null }
    const r = roll([unit(1, 100, [X, W]), unit(2, 200, [X, W])])
    expect(r.entries).toHaveLength(2)
  })

  it('units with no roster owners are one owner each', () => {
    const r = roll([unit(1, 100, []), unit(2, 200, []), unit(3, 300, [])])
    expect(r.entries).toHaveLength(3)
    expect(r.entries.every((e) => e.units.length === 1 && !e.isDeveloper)).toBe(true)
    expect(r.entries.map((e) => e.areaCenti).sort((a, b) => a - b)).toEqual([100, 200, 300])
    expect(new Set(r.entries.map((e) => e.ownerKey)).size).toBe(3)
  })

  it("every developer-held unit together is ONE owner: the 'developer' entry, area summed", () => {
    const r = roll([
      unit(1, 100, [], { developerHeld: true }),
      unit(2, 8000, [X]),
      unit(3, 250, [], { developerHeld: true }),
      unit(4, 50, [], { developerHeld: true, kind: 'commercial' }),
    ])
    expect(r.entries).toHaveLength(2)
    const dev = r.entries.find((e) => e.isDeveloper)!
    expect(dev.ownerKey).toBe(DEVELOPER_KEY)
    expect(DEVELOPER_KEY).toBe('developer')
    expect(dev.areaCenti).toBe(400)
    expect(dev.units.map((u) => u.unitId)).toEqual([1, 3, 4])
    expect(dev.holdersMasked).toEqual(['开发建设单位'])
    expect(r.entries.filter((e) => e.isDeveloper)).toHaveLength(1)
    expect(entryWithUnit(r, 2)!.isDeveloper).toBe(false)
    expect(r.totalOwners).toBe(2)
    expect(r.totalArea).toBe(8400)
  })

  it("a unit sold but not delivered counts with the developer, not with its buyer's other units", () => {
    const r = roll([
      unit(1, 8000, [X]),
      unit(2, 9000, [X], { developerHeld: true }),
      unit(3, 100, [], { developerHeld: true }),
    ])
    expect(r.entries).toHaveLength(2)
    expect(entryWithUnit(r, 1)!.areaCenti).toBe(8000)
    expect(entryWithUnit(r, 1)!.units.map((u) => u.unitId)).toEqual([1])
    expect(entryWithUnit(r, 2)!.ownerKey).toBe(DEVELOPER_KEY)
    expect(entryWithUnit(r, 2)!.areaCenti).toBe(9100)
  })
})

describe('computeRoll: parking', () => {
  const units = [
    unit(1, 9000, [X]),
    unit(2, 1250, [X], { kind: 'parking', label: '车位 B-01' }),
    unit(3, 1300, [Y], { kind: 'parking', label: '车位 B-02' }), // Y holds only a parking space
    unit(4, 1200, [], { kind: 'parking', developerHeld: true, label: '车位 B-03' }),
    unit(5, 7000, [Z]),
  ]

  it('is excluded unless the community counts it: no area, no owner, no unit on the roll', () => {
    const r = roll(units, false)
    expect(r.totalArea).toBe(16000)
    expect(r.totalOwners).toBe(2)
    expect(r.entries.flatMap((e) => e.units).every((u) => u.kind !== 'parking')).toBe(true)
    expect(entryWithUnit(r, 1)!.areaCenti).toBe(9000)
    expect(r.entries.some((e) => e.isDeveloper)).toBe(false)
  })

  it('counts when the rules say so: area added to its owner, a parking-only holder and the developer appear', () => {
    const r = roll(units, true)
    expect(r.totalArea).toBe(9000 + 1250 + 1300 + 1200 + 7000)
    expect(r.totalOwners).toBe(4)
    expect(entryWithUnit(r, 1)!.areaCenti).toBe(10250)
    expect(entryWithUnit(r, 1)!.units.map((u) => u.unitId)).toEqual([1, 2])
    expect(entryWithUnit(r, 3)!.areaCenti).toBe(1300)
    expect(entryWithUnit(r, 4)!.ownerKey).toBe(DEVELOPER_KEY)
  })

  it('the parking setting changes the fingerprint', () => {
    expect(roll(units, false).fingerprint).not.toBe(roll(units, true).fingerprint)
  })
})

describe('computeRoll: totals and output', () => {
  const community = [
    unit(1, 8945, [X]),
    unit(2, 12000, [X]),
    unit(3, 9000, [Y, Z]),
    unit(4, 7500, [{ name: '张伟', phoneHash: null }]),
    unit(5, 7600, [{ name: '张伟', phoneHash: null }]),
    unit(6, 6000, []),
    unit(7, 11000, [], { developerHeld: true }),
    unit(8, 10000, [], { developerHeld: true, areaSource: 'contract' }),
    unit(9, 1250, [Z], { kind: 'parking' }),
    unit(10, 15000, [{ name: 'Alice Smith', phoneHash: 'phonehash-alice' }], {
      kind: 'commercial',
      areaSource: 'survey',
    }),
  ]

  it('totals: area is the sum over counted units, owners the number of entries', () => {
    const r = roll(community)
    // owners: X(1,2) · Y+Z(3) · 张伟@4 · 张伟@5 · unit 6 · developer(7,8) · Alice(10)
    expect(r.totalOwners).toBe(7)
    expect(r.entries).toHaveLength(7)
    expect(r.totalArea).toBe(8945 + 12000 + 9000 + 7500 + 7600 + 6000 + 11000 + 10000 + 15000)
    expect(r.entries.reduce((n, e) => n + e.areaCenti, 0)).toBe(r.totalArea)
    for (const e of r.entries) expect(e.areaCenti, e.ownerKey).toBe(e.units.reduce((n, u) => n + u.areaCenti, 0))
    // every counted unit appears exactly once
    expect(r.entries.flatMap((e) => e.units.map((u) => u.unitId)).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 10,
    ])
    const r2 = roll(community, true)
    expect(r2.totalOwners).toBe(8) // Z alone holds the parking space: a different holder set from Y+Z
    expect(r2.totalArea).toBe(r.totalArea + 1250)
  })

  it('keeps each unit with its area source and kind', () => {
    const r = roll(community)
    expect(entryWithUnit(r, 8)!.units.find((u) => u.unitId === 8)).toEqual({
      unitId: 8,
      label: '1栋 108',
      kind: 'residence',
      areaCenti: 10000,
      areaSource: 'contract',
    })
    expect(entryWithUnit(r, 10)!.units).toEqual([
      { unitId: 10, label: '1栋 110', kind: 'commercial', areaCenti: 15000, areaSource: 'survey' },
    ])
  })

  it('holders are masked: no full name and no phone hash anywhere in the output', () => {
    const r = roll(community, true)
    const out = JSON.stringify(r)
    for (const name of ['王秀英', '李建国', '欧阳娜娜', '张伟', 'Alice Smith', 'Alice'])
      expect(out, name).not.toContain(name)
    for (const hash of ['phonehash-x-0001', 'phonehash-y-0002', 'phonehash-z-0003', 'phonehash-alice'])
      expect(out, hash).not.toContain(hash)
    expect(entryWithUnit(r, 1)!.holdersMasked).toEqual(['王**'])
    expect([...entryWithUnit(r, 3)!.holdersMasked].sort()).toEqual(['李**', '欧***'])
    expect(entryWithUnit(r, 4)!.holdersMasked).toEqual(['张*'])
    expect(entryWithUnit(r, 10)!.holdersMasked).toEqual(['A**********'])
    expect(entryWithUnit(r, 6)!.holdersMasked).toEqual([])
  })

  it('entries come sorted by owner key and units by id', () => {
    const r = roll([...community].reverse())
    const keys = r.entries.map((e) => e.ownerKey)
    expect(keys).toEqual([...keys].sort())
    for (const e of r.entries)
      expect(e.units.map((u) => u.unitId)).toEqual([...e.units.map((u) => u.unitId)].sort((a, b) => a - b))
  })

  it('an empty roster is an empty roll', () => {
    const r = roll([])
    expect(r).toMatchObject({ entries: [], totalArea: 0, totalOwners: 0 })
    expect(r.fingerprint).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe('computeRoll: fingerprint', () => {
  const community = [
    unit(1, 8945, [X]),
    unit(2, 12000, [X]),
    unit(3, 9000, [Y, Z]),
    unit(4, 7500, [{ name: '张伟', phoneHash: null }]),
    unit(5, 6000, []),
    unit(6, 11000, [], { developerHeld: true }),
    unit(7, 1250, [Z], { kind: 'parking' }),
  ]
  const base = roll(community, true)

  function shuffled<T>(xs: T[], seed: number): T[] {
    const a = [...xs]
    let s = seed
    for (let i = a.length - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) % 2147483648
      const j = s % (i + 1)
      ;[a[i], a[j]] = [a[j]!, a[i]!]
    }
    return a
  }

  it('is a SHA-256 hex digest equal to rollFingerprint of the entries', () => {
    expect(base.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(rollFingerprint(base.entries)).toBe(base.fingerprint)
  })

  it('does not depend on the order of units, nor of co-owners within a unit', () => {
    const orders = [
      [...community].reverse(),
      shuffled(community, 1),
      shuffled(community, 2),
      shuffled(community, 3),
      community.map((u) => ({ ...u, owners: [...u.owners].reverse() })),
    ]
    for (const units of orders) {
      const r = roll(units, true)
      expect(r.fingerprint).toBe(base.fingerprint)
      expect(r.totalArea).toBe(base.totalArea)
      expect(r.totalOwners).toBe(base.totalOwners)
      expect(r.entries.map((e) => [e.ownerKey, e.areaCenti, e.units])).toEqual(
        base.entries.map((e) => [e.ownerKey, e.areaCenti, e.units]),
      )
    }
  })

  it('rollFingerprint does not depend on the order of entries or of units within an entry', () => {
    const scrambled = [...base.entries].reverse().map((e) => ({ ...e, units: [...e.units].reverse() }))
    expect(rollFingerprint(scrambled)).toBe(base.fingerprint)
  })

  it('changes with any change of any counted unit’s area, even by 0.01 m², and each change differently', () => {
    const seen = new Set([base.fingerprint])
    for (let i = 0; i < community.length; i++) {
      for (const delta of [1, -1]) {
        const units = community.map((u, j) => (j === i ? { ...u, areaCenti: u.areaCenti + delta } : u))
        const fp = roll(units, true).fingerprint
        expect(fp, `unit ${community[i]!.unitId} ${delta}`).not.toBe(base.fingerprint)
        seen.add(fp)
      }
    }
    expect(seen.size).toBe(1 + 2 * community.length)
  })

  it('changes when area moves between owners though every total stays the same', () => {
    // swap the areas of X's unit 2 and the ownerless unit 5
    const moved = community.map((u) =>
      u.unitId === 2 ? { ...u, areaCenti: 6000 } : u.unitId === 5 ? { ...u, areaCenti: 12000 } : u,
    )
    const r = roll(moved, true)
    expect(r.totalArea).toBe(base.totalArea)
    expect(r.totalOwners).toBe(base.totalOwners)
    expect(r.fingerprint).not.toBe(base.fingerprint)
  })

  it('changes when a unit changes hands, when an area source changes, and when a unit is added or removed', () => {
    const handed = community.map((u) => (u.unitId === 5 ? { ...u, owners: [Y, Z] } : u))
    expect(roll(handed, true).fingerprint).not.toBe(base.fingerprint)
    const source = community.map((u) => (u.unitId === 1 ? { ...u, areaSource: 'survey' as const } : u))
    expect(roll(source, true).fingerprint).not.toBe(base.fingerprint)
    expect(roll([...community, unit(99, 5000, [])], true).fingerprint).not.toBe(base.fingerprint)
    expect(roll(community.slice(1), true).fingerprint).not.toBe(base.fingerprint)
  })

  it('an excluded parking unit does not affect it', () => {
    const a = roll(community, false)
    const bigger = community.map((u) => (u.unitId === 7 ? { ...u, areaCenti: 99999 } : u))
    expect(roll(bigger, false).fingerprint).toBe(a.fingerprint)
    expect(roll(bigger, true).fingerprint).not.toBe(base.fingerprint)
  })

  it('masked holder names are not part of it (they are not on the public list)', () => {
    const renamed = community.map((u) =>
      u.unitId === 1 || u.unitId === 2 ? { ...u, owners: [{ ...X, name: '赵六' }] } : u,
    )
    expect(roll(renamed, true).fingerprint).toBe(base.fingerprint)
  })
})

describe('itemsFingerprint', () => {
  const base = {
    title: '2025年第一次业主大会',
    noticeText: '定于2025年6月1日至6月15日以书面征求意见方式召开。',
    announcedAt: new Date('2025-05-10T02:00:00.000Z'),
    opensAt: new Date('2025-06-01T00:00:00.000Z'),
    closesAt: new Date('2025-06-15T12:00:00.000Z'),
    matters: [
      { position: 1, category: 2, text: '修改管理规约第十条' },
      { position: 2, category: 4, text: '续聘某某物业服务有限公司' },
      { position: 3, category: 6, text: '按每平方米每月0.25元筹集维修资金' },
    ],
  }
  const fp = itemsFingerprint(base)

  it('is a deterministic SHA-256 hex digest', () => {
    expect(fp).toMatch(/^[0-9a-f]{64}$/)
    expect(itemsFingerprint(structuredClone(base))).toBe(fp)
  })

  it('does not depend on the order in which the matters are given', () => {
    expect(itemsFingerprint({ ...base, matters: [...base.matters].reverse() })).toBe(fp)
    expect(itemsFingerprint({ ...base, matters: [base.matters[1]!, base.matters[2]!, base.matters[0]!] })).toBe(fp)
  })

  it('changes with any change of title, notice, window, or any matter’s text, category or position — each differently', () => {
    const m = base.matters
    const variants = {
      title: { ...base, title: `${base.title} ` },
      noticeText: { ...base, noticeText: base.noticeText.replace('15日', '16日') },
      announcedAt: { ...base, announcedAt: new Date(base.announcedAt.getTime() + 1) },
      opensAt: { ...base, opensAt: new Date(base.opensAt.getTime() + 1000) },
      closesAt: { ...base, closesAt: new Date(base.closesAt.getTime() - 60_000) },
      text: { ...base, matters: [m[0]!, { ...m[1]!, text: '续聘某某物业服务有限公司。' }, m[2]!] },
      textAmount: { ...base, matters: [m[0]!, m[1]!, { ...m[2]!, text: '按每平方米每月0.26元筹集维修资金' }] },
      category: { ...base, matters: [m[0]!, m[1]!, { ...m[2]!, category: 5 }] },
      categoryFirst: { ...base, matters: [{ ...m[0]!, category: 1 }, m[1]!, m[2]!] },
      positionsSwapped: { ...base, matters: [{ ...m[0]!, position: 2 }, { ...m[1]!, position: 1 }, m[2]!] },
      matterRemoved: { ...base, matters: [m[0]!, m[1]!] },
      matterAdded: { ...base, matters: [...m, { position: 4, category: 9, text: '其他' }] },
    }
    const seen = new Map<string, string>([[fp, 'base']])
    for (const [what, v] of Object.entries(variants)) {
      const got = itemsFingerprint(v)
      expect(seen.get(got), what).toBeUndefined()
      seen.set(got, what)
    }
  })

  it('opening and closing times cannot be swapped without notice', () => {
    expect(itemsFingerprint({ ...base, opensAt: base.closesAt, closesAt: base.opensAt })).not.toBe(fp)
    expect(itemsFingerprint({ ...base, title: base.noticeText, noticeText: base.title })).not.toBe(fp)
  })
})
