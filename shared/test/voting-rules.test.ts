import { describe, expect, it } from 'vitest'
import {
  MATTER_CATEGORIES,
  VOTE_STATES,
  basisPoints,
  decideMatter,
  formatBasisPoints,
  nonVotersFollowMajority,
  thresholdOf,
  voteTransitions,
  type MatterCategory,
  type MatterCount,
  type MatterFigures,
  type VoteState,
} from '../src/voting/rules'

/**
 * The law (domain.md §1): quorum 3·A_part ≥ 2·A_total AND 3·N_part ≥ 2·N_total; items 6–8: 4·yes ≥ 3·part (以上
 * includes the number); items 1–5, 9: 2·yes > part (过半数 is strict). Each condition on area and owners alike.
 *
 * The reference below is formulated differently from the product (smallest count that satisfies each rule), so an
 * off-by-one in either would show.
 */
const minQuorum = (total: number) => Math.floor((2 * total + 2) / 3) // ⌈2t/3⌉
const minMajority = (part: number) => Math.floor(part / 2) + 1 // smallest y with y > part/2
const minThreeQuarters = (part: number) => Math.floor((3 * part + 3) / 4) // ⌈3p/4⌉

/** A matter where everything passes comfortably; each test changes what it is about. */
function count(over: Partial<MatterCount> = {}): MatterCount {
  return {
    category: 4,
    totalArea: 300,
    totalOwners: 300,
    participatingArea: 300,
    participatingOwners: 300,
    yesArea: 300,
    yesOwners: 300,
    ...over,
  }
}

/** Deterministic PRNG (mulberry32) for the randomized sweeps. */
function prng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('decideMatter: quorum (参与表决: two thirds 以上 of area AND of owners)', () => {
  it('area exactly two thirds is met (以上 includes the number); one below is not — owners comfortably met', () => {
    expect(decideMatter(count({ totalArea: 300, participatingArea: 200, yesArea: 200 })).quorumMet).toBe(true)
    expect(decideMatter(count({ totalArea: 300, participatingArea: 199, yesArea: 199 })).quorumMet).toBe(false)
  })

  it('owners exactly two thirds is met; one below is not — area comfortably met', () => {
    expect(decideMatter(count({ totalOwners: 300, participatingOwners: 200, yesOwners: 200 })).quorumMet).toBe(true)
    expect(decideMatter(count({ totalOwners: 300, participatingOwners: 199, yesOwners: 199 })).quorumMet).toBe(false)
  })

  it('each condition must hold on its own: area met + owners missed fails, and vice versa', () => {
    const areaOnly = decideMatter(
      count({
        totalArea: 300,
        participatingArea: 300,
        yesArea: 300,
        totalOwners: 300,
        participatingOwners: 199,
        yesOwners: 199,
      }),
    )
    expect(areaOnly).toEqual({ quorumMet: false, passed: false, threshold: 'majority' })
    const ownersOnly = decideMatter(
      count({
        totalArea: 300,
        participatingArea: 199,
        yesArea: 199,
        totalOwners: 300,
        participatingOwners: 300,
        yesOwners: 300,
      }),
    )
    expect(ownersOnly).toEqual({ quorumMet: false, passed: false, threshold: 'majority' })
  })

  it('totals not divisible by 3: of 100, 66 is short and 67 is enough (3·67 = 201 ≥ 200) — area and owners each', () => {
    expect(decideMatter(count({ totalArea: 100, participatingArea: 66, yesArea: 66 })).quorumMet).toBe(false)
    expect(decideMatter(count({ totalArea: 100, participatingArea: 67, yesArea: 67 })).quorumMet).toBe(true)
    expect(decideMatter(count({ totalOwners: 100, participatingOwners: 66, yesOwners: 66 })).quorumMet).toBe(false)
    expect(decideMatter(count({ totalOwners: 100, participatingOwners: 67, yesOwners: 67 })).quorumMet).toBe(true)
  })

  it('of 101, 67 is short (3·67 = 201 < 202) and 68 is enough; of 1 and 2 every owner is needed', () => {
    expect(decideMatter(count({ totalArea: 101, participatingArea: 67, yesArea: 67 })).quorumMet).toBe(false)
    expect(decideMatter(count({ totalArea: 101, participatingArea: 68, yesArea: 68 })).quorumMet).toBe(true)
    expect(decideMatter(count({ totalOwners: 101, participatingOwners: 67, yesOwners: 67 })).quorumMet).toBe(false)
    expect(decideMatter(count({ totalOwners: 101, participatingOwners: 68, yesOwners: 68 })).quorumMet).toBe(true)
    expect(decideMatter(count({ totalOwners: 2, participatingOwners: 1, yesOwners: 1 })).quorumMet).toBe(false)
    expect(decideMatter(count({ totalOwners: 2, participatingOwners: 2, yesOwners: 2 })).quorumMet).toBe(true)
    expect(decideMatter(count({ totalOwners: 1, participatingOwners: 0, yesOwners: 0 })).quorumMet).toBe(false)
    expect(decideMatter(count({ totalOwners: 1, participatingOwners: 1, yesOwners: 1 })).quorumMet).toBe(true)
  })

  it('nobody voting is a valid count whose quorum is not met', () => {
    expect(decideMatter(count({ participatingArea: 0, participatingOwners: 0, yesArea: 0, yesOwners: 0 }))).toEqual({
      quorumMet: false,
      passed: false,
      threshold: 'majority',
    })
  })

  it('matches the reference for every total 1..60 and every participation, area and owners independently', () => {
    for (let t = 1; t <= 60; t++) {
      for (let p = 0; p <= t; p++) {
        const expected = p >= minQuorum(t)
        const byArea = decideMatter(count({ totalArea: t, participatingArea: p, yesArea: p }))
        const byOwners = decideMatter(count({ totalOwners: t, participatingOwners: p, yesOwners: p }))
        expect(byArea.quorumMet, `area ${p}/${t}`).toBe(expected)
        expect(byOwners.quorumMet, `owners ${p}/${t}`).toBe(expected)
      }
    }
  })

  it('quorum not met ⇒ not passed, even with 100% yes, for either threshold', () => {
    for (const category of [4, 7] as const) {
      const d = decideMatter(
        count({
          category,
          totalArea: 300,
          participatingArea: 199,
          yesArea: 199,
          totalOwners: 300,
          participatingOwners: 199,
          yesOwners: 199,
        }),
      )
      expect(d).toEqual({ quorumMet: false, passed: false, threshold: thresholdOf(category) })
      const ownersShort = decideMatter(count({ category, participatingOwners: 199, yesOwners: 199 }))
      expect(ownersShort.passed).toBe(false)
      const areaShort = decideMatter(count({ category, participatingArea: 199, yesArea: 199 }))
      expect(areaShort.passed).toBe(false)
    }
  })
})

describe('decideMatter: majority, items 1–5 and 9 (过半数: strictly more than half)', () => {
  it('exactly half of area and owners does NOT pass; half + 1 passes', () => {
    expect(
      decideMatter(
        count({
          participatingArea: 200,
          participatingOwners: 200,
          totalArea: 200,
          totalOwners: 200,
          yesArea: 100,
          yesOwners: 100,
        }),
      ).passed,
    ).toBe(false)
    expect(
      decideMatter(
        count({
          participatingArea: 200,
          participatingOwners: 200,
          totalArea: 200,
          totalOwners: 200,
          yesArea: 101,
          yesOwners: 101,
        }),
      ).passed,
    ).toBe(true)
  })

  it('exactly half of area alone fails though owners are well over half, and vice versa', () => {
    const base = { totalArea: 200, totalOwners: 200, participatingArea: 200, participatingOwners: 200 }
    expect(decideMatter(count({ ...base, yesArea: 100, yesOwners: 200 })).passed).toBe(false)
    expect(decideMatter(count({ ...base, yesArea: 200, yesOwners: 100 })).passed).toBe(false)
    expect(decideMatter(count({ ...base, yesArea: 101, yesOwners: 200 })).passed).toBe(true)
    expect(decideMatter(count({ ...base, yesArea: 200, yesOwners: 101 })).passed).toBe(true)
  })

  it('odd participating counts: of 201, 100 fails and 101 passes; of 1, 1 passes; of 3, 2 passes and 1 fails', () => {
    const of = (p: number, y: number) =>
      decideMatter(
        count({ totalArea: p, totalOwners: p, participatingArea: p, participatingOwners: p, yesArea: y, yesOwners: y }),
      ).passed
    expect(of(201, 100)).toBe(false)
    expect(of(201, 101)).toBe(true)
    expect(of(1, 0)).toBe(false)
    expect(of(1, 1)).toBe(true)
    expect(of(3, 1)).toBe(false)
    expect(of(3, 2)).toBe(true)
  })

  it('the majority is of those participating, not of all owners', () => {
    // 210 of 300 take part (quorum met); 106 yes is more than half of 210 though far from half of 300
    const d = decideMatter(
      count({
        totalArea: 300,
        totalOwners: 300,
        participatingArea: 210,
        participatingOwners: 210,
        yesArea: 106,
        yesOwners: 106,
      }),
    )
    expect(d).toEqual({ quorumMet: true, passed: true, threshold: 'majority' })
    const short = decideMatter(
      count({
        totalArea: 300,
        totalOwners: 300,
        participatingArea: 210,
        participatingOwners: 210,
        yesArea: 105,
        yesOwners: 105,
      }),
    )
    expect(short.passed).toBe(false)
  })

  it('abstentions participate but are not yes: 140 yes / 100 no / 60 abstain of 300 fails though yes leads no', () => {
    // were abstentions left out of "participating", 140 of 240 would be a majority
    const d = decideMatter(count({ participatingArea: 300, participatingOwners: 300, yesArea: 140, yesOwners: 140 }))
    expect(d).toEqual({ quorumMet: true, passed: false, threshold: 'majority' })
  })

  it('matches the reference for every participation 1..60 and every yes count, area and owners independently', () => {
    for (let p = 1; p <= 60; p++) {
      for (let y = 0; y <= p; y++) {
        const expected = y >= minMajority(p)
        const byArea = decideMatter(count({ category: 1, totalArea: p, participatingArea: p, yesArea: y }))
        const byOwners = decideMatter(count({ category: 9, totalOwners: p, participatingOwners: p, yesOwners: y }))
        expect(byArea.passed, `area ${y}/${p}`).toBe(expected)
        expect(byOwners.passed, `owners ${y}/${p}`).toBe(expected)
      }
    }
  })
})

describe('decideMatter: three quarters, items 6–8 (四分之三以上: the number itself included)', () => {
  const of = (p: number, yA: number, yN: number, category: MatterCategory = 6) =>
    decideMatter({
      category,
      totalArea: p,
      totalOwners: p,
      participatingArea: p,
      participatingOwners: p,
      yesArea: yA,
      yesOwners: yN,
    })

  it('exactly three quarters passes; one below does not', () => {
    expect(of(400, 300, 300)).toEqual({ quorumMet: true, passed: true, threshold: 'three_quarters' })
    expect(of(400, 299, 299).passed).toBe(false)
  })

  it('participating not divisible by 4: of 401 need 301, of 402 need 302, of 403 need 303', () => {
    expect(of(401, 300, 300).passed).toBe(false)
    expect(of(401, 301, 301).passed).toBe(true)
    expect(of(402, 301, 301).passed).toBe(false)
    expect(of(402, 302, 302).passed).toBe(true)
    expect(of(403, 302, 302).passed).toBe(false)
    expect(of(403, 303, 303).passed).toBe(true)
    expect(of(1, 0, 0).passed).toBe(false)
    expect(of(1, 1, 1).passed).toBe(true)
  })

  it('each condition on its own: area at 3/4 with owners one short fails, and vice versa', () => {
    expect(of(400, 300, 299, 7).passed).toBe(false)
    expect(of(400, 299, 300, 7).passed).toBe(false)
    expect(of(400, 300, 300, 7).passed).toBe(true)
    expect(of(400, 400, 299, 8).passed).toBe(false)
    expect(of(400, 299, 400, 8).passed).toBe(false)
  })

  it('matches the reference for every participation 1..60 and every yes count, area and owners independently', () => {
    for (let p = 1; p <= 60; p++) {
      for (let y = 0; y <= p; y++) {
        const expected = y >= minThreeQuarters(p)
        expect(of(p, y, p, 7).passed, `area ${y}/${p}`).toBe(expected)
        expect(of(p, p, y, 8).passed, `owners ${y}/${p}`).toBe(expected)
      }
    }
  })
})

describe('decideMatter: which rule applies to which matter (第278条第二款)', () => {
  const expectedThreshold: Record<MatterCategory, 'majority' | 'three_quarters'> = {
    1: 'majority',
    2: 'majority',
    3: 'majority',
    4: 'majority',
    5: 'majority',
    6: 'three_quarters',
    7: 'three_quarters',
    8: 'three_quarters',
    9: 'majority',
  }

  it('the nine categories are exactly 1–9', () => {
    expect([...MATTER_CATEGORIES]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  it.each(MATTER_CATEGORIES.map((c) => [c, expectedThreshold[c]] as const))(
    'category %i uses %s',
    (category, threshold) => {
      expect(thresholdOf(category)).toBe(threshold)
      const base = { category, totalArea: 1200, totalOwners: 1200, participatingArea: 1200, participatingOwners: 1200 }
      // exactly half: fails everywhere
      expect(decideMatter({ ...base, yesArea: 600, yesOwners: 600 })).toEqual({
        quorumMet: true,
        passed: false,
        threshold,
      })
      // half + 1: passes a majority matter only
      expect(decideMatter({ ...base, yesArea: 601, yesOwners: 601 }).passed).toBe(threshold === 'majority')
      // two thirds: passes a majority matter only
      expect(decideMatter({ ...base, yesArea: 800, yesOwners: 800 }).passed).toBe(threshold === 'majority')
      // three quarters minus one: passes a majority matter only
      expect(decideMatter({ ...base, yesArea: 899, yesOwners: 899 }).passed).toBe(threshold === 'majority')
      // exactly three quarters: passes both kinds
      expect(decideMatter({ ...base, yesArea: 900, yesOwners: 900 })).toEqual({
        quorumMet: true,
        passed: true,
        threshold,
      })
    },
  )
})

describe('decideMatter: large integers (areas in 0.01 m²) decide exactly', () => {
  it('quorum boundary at a total area of ~1.2·10^11 not divisible by 3', () => {
    const tA = 123_456_789_013 // ≡ 1 (mod 3)
    const min = minQuorum(tA)
    expect(3 * min >= 2 * tA && 3 * (min - 1) < 2 * tA).toBe(true) // the reference itself, checked
    expect(decideMatter(count({ totalArea: tA, participatingArea: min, yesArea: min })).quorumMet).toBe(true)
    expect(decideMatter(count({ totalArea: tA, participatingArea: min - 1, yesArea: min - 1 })).quorumMet).toBe(false)
  })

  it('majority boundary at ~10^11, odd and even', () => {
    for (const p of [98_765_432_101, 98_765_432_100]) {
      const base = count({ totalArea: p, participatingArea: p })
      expect(decideMatter({ ...base, yesArea: Math.floor(p / 2) }).passed, `${p}`).toBe(false)
      expect(decideMatter({ ...base, yesArea: Math.floor(p / 2) + 1 }).passed, `${p}`).toBe(true)
    }
  })

  it('three-quarters boundary at ~10^11 (3p/4 not an integer)', () => {
    const p = 99_999_999_999 // 3p/4 = 74,999,999,999.25
    const base = count({ category: 8, totalArea: p, participatingArea: p })
    expect(decideMatter({ ...base, yesArea: 74_999_999_999 }).passed).toBe(false)
    expect(decideMatter({ ...base, yesArea: 75_000_000_000 }).passed).toBe(true)
    const q = 100_000_000_000 // exactly 3/4 = 75,000,000,000
    expect(
      decideMatter(count({ category: 8, totalArea: q, participatingArea: q, yesArea: 75_000_000_000 })).passed,
    ).toBe(true)
    expect(
      decideMatter(count({ category: 8, totalArea: q, participatingArea: q, yesArea: 74_999_999_999 })).passed,
    ).toBe(false)
  })

  it('whatever it accepts it decides exactly (compared in BigInt), up to the largest safe integers', () => {
    // Inputs this large are not realistic; the point is that an accepted input is never decided wrongly.
    // Refusing it (RangeError) is acceptable, and inputs up to 10^15 must still be accepted.
    const exactly = (c: MatterCount) => {
      const [tA, tN, pA, pN, yA, yN] = [
        BigInt(c.totalArea),
        BigInt(c.totalOwners),
        BigInt(c.participatingArea),
        BigInt(c.participatingOwners),
        BigInt(c.yesArea),
        BigInt(c.yesOwners),
      ]
      const quorumMet = 3n * pA >= 2n * tA && 3n * pN >= 2n * tN
      const approved =
        thresholdOf(c.category) === 'three_quarters'
          ? 4n * yA >= 3n * pA && 4n * yN >= 3n * pN
          : 2n * yA > pA && 2n * yN > pN
      return { quorumMet, passed: quorumMet && approved, threshold: thresholdOf(c.category) }
    }
    const cases: MatterCount[] = []
    for (const tA of [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 5, 2 ** 52 + 7, 1e15, 1e15 + 1]) {
      const q = Math.floor((2 * tA) / 3) // near the quorum boundary
      for (let d = -4; d <= 4; d++)
        cases.push(count({ totalArea: tA, participatingArea: Math.min(tA, q + d), yesArea: Math.min(tA, q + d) }))
      for (let d = -4; d <= 4; d++)
        cases.push(count({ category: 7, totalArea: tA, participatingArea: tA, yesArea: Math.floor((3 * tA) / 4) + d }))
      for (let d = -2; d <= 2; d++)
        cases.push(count({ category: 1, totalArea: tA, participatingArea: tA, yesArea: Math.floor(tA / 2) + d }))
    }
    let decided = 0
    for (const c of cases) {
      let got: ReturnType<typeof decideMatter> | null = null
      try {
        got = decideMatter(c)
      } catch (e) {
        expect(e, JSON.stringify(c)).toBeInstanceOf(RangeError)
        expect(c.totalArea, 'values up to 10^15 must be accepted').toBeGreaterThan(1e15 + 1)
        continue
      }
      decided++
      expect(got, JSON.stringify(c)).toEqual(exactly(c))
    }
    expect(decided).toBeGreaterThan(0)
  })
})

describe('decideMatter: the Shanghai worked example (domain.md §1)', () => {
  // 1,152 owners, 124,799.30 m²; 905 ballots (78.56%) covering 93,449.08 m² (74.88%);
  // yes 65.08% of participating owners (589/905) and 65.99% of participating area (6,167,000/9,344,908).
  const shanghai = {
    totalOwners: 1152,
    totalArea: 12_479_930,
    participatingOwners: 905,
    participatingArea: 9_344_908,
    yesOwners: 589,
    yesArea: 6_167_000,
  }

  it('the chosen yes counts reproduce the published percentages', () => {
    expect(formatBasisPoints(basisPoints(shanghai.yesOwners, shanghai.participatingOwners))).toBe('65.08%')
    expect(formatBasisPoints(basisPoints(shanghai.yesArea, shanghai.participatingArea))).toBe('65.99%')
  })

  it('quorum met and passed as a majority matter', () => {
    for (const category of [1, 2, 3, 4, 5, 9] as const) {
      expect(decideMatter({ category, ...shanghai })).toEqual({ quorumMet: true, passed: true, threshold: 'majority' })
    }
  })

  it('the same figures would not carry a three-quarters matter', () => {
    for (const category of [6, 7, 8] as const) {
      expect(decideMatter({ category, ...shanghai })).toEqual({
        quorumMet: true,
        passed: false,
        threshold: 'three_quarters',
      })
    }
  })
})

describe('decideMatter: refuses inconsistent input with a RangeError naming the field', () => {
  const fields = [
    'totalArea',
    'totalOwners',
    'participatingArea',
    'participatingOwners',
    'yesArea',
    'yesOwners',
  ] as const
  const bad: [string, unknown][] = [
    ['negative', -1],
    ['non-integer', 1.5],
    ['NaN', Number.NaN],
    ['a string', '100'],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['undefined', undefined],
    ['null', null],
    ['unsafe integer', 2 ** 53],
  ]
  for (const field of fields) {
    for (const [what, value] of bad) {
      it(`${field}: ${what}`, () => {
        const c = { ...count(), [field]: value } as unknown as MatterCount
        expect(() => decideMatter(c)).toThrow(RangeError)
        expect(() => decideMatter(c)).toThrow(new RegExp(`^${field} must be`))
      })
    }
  }

  it('yes above participating, area and owners each', () => {
    expect(() => decideMatter(count({ participatingArea: 250, yesArea: 251 }))).toThrow(RangeError)
    expect(() => decideMatter(count({ participatingArea: 250, yesArea: 251 }))).toThrow(
      /^yesArea .*exceeds participatingArea/,
    )
    expect(() => decideMatter(count({ participatingOwners: 250, yesOwners: 251 }))).toThrow(RangeError)
    expect(() => decideMatter(count({ participatingOwners: 250, yesOwners: 251 }))).toThrow(
      /^yesOwners .*exceeds participatingOwners/,
    )
  })

  it('participating above total, area and owners each', () => {
    expect(() => decideMatter(count({ totalArea: 299 }))).toThrow(RangeError)
    expect(() => decideMatter(count({ totalArea: 299 }))).toThrow(/^participatingArea .*exceeds totalArea/)
    expect(() => decideMatter(count({ totalOwners: 299 }))).toThrow(RangeError)
    expect(() => decideMatter(count({ totalOwners: 299 }))).toThrow(/^participatingOwners .*exceeds totalOwners/)
  })

  it('zero totals', () => {
    const none = { participatingArea: 0, participatingOwners: 0, yesArea: 0, yesOwners: 0 }
    expect(() => decideMatter(count({ ...none, totalArea: 0 }))).toThrow(RangeError)
    expect(() => decideMatter(count({ ...none, totalArea: 0 }))).toThrow(/^totalArea must be positive/)
    expect(() => decideMatter(count({ ...none, totalOwners: 0 }))).toThrow(RangeError)
    expect(() => decideMatter(count({ ...none, totalOwners: 0 }))).toThrow(/^totalOwners must be positive/)
  })

  it.each([0, 10, '4', 4.5, -1, Number.NaN, undefined, null])('unknown category %s', (category) => {
    const c = { ...count(), category } as unknown as MatterCount
    expect(() => decideMatter(c)).toThrow(RangeError)
    expect(() => decideMatter(c)).toThrow(/^category must be/)
  })

  it('the edges of consistency are accepted: yes = participating = total', () => {
    expect(decideMatter(count())).toEqual({ quorumMet: true, passed: true, threshold: 'majority' })
  })
})

/** Consistent figures: participating = yes + no + abstain. */
function figures(
  category: MatterCategory,
  totalArea: number,
  totalOwners: number,
  yes: [number, number],
  no: [number, number],
  abstain: [number, number],
): MatterFigures {
  return {
    category,
    totalArea,
    totalOwners,
    participatingArea: yes[0] + no[0] + abstain[0],
    participatingOwners: yes[1] + no[1] + abstain[1],
    yesArea: yes[0],
    yesOwners: yes[1],
    noArea: no[0],
    noOwners: no[1],
    abstainArea: abstain[0],
    abstainOwners: abstain[1],
  }
}

describe('nonVotersFollowMajority (a separate, labelled tally)', () => {
  it("yes leads by area and owners: non-voters' weight goes to yes, participation becomes total", () => {
    // 200 of 300 take part (quorum met); 90 yes / 80 no / 30 abstain: officially not passed (90 is not > 100)
    const f = figures(4, 300, 300, [90, 90], [80, 80], [30, 30])
    expect(decideMatter(f)).toEqual({ quorumMet: true, passed: false, threshold: 'majority' })
    const r = nonVotersFollowMajority(f)
    expect(r.followed).toBe('yes')
    expect(r.figures).toEqual({ ...f, participatingArea: 300, participatingOwners: 300, yesArea: 190, yesOwners: 190 })
    // the law applied to the augmented figures: 190 of 300 is a majority
    expect(r.decision).toEqual({ quorumMet: true, passed: true, threshold: 'majority' })
  })

  it('no leads by area and owners: the weight goes to no, yes is unchanged', () => {
    const f = figures(4, 300, 300, [80, 80], [90, 90], [30, 30])
    const r = nonVotersFollowMajority(f)
    expect(r.followed).toBe('no')
    expect(r.figures).toEqual({ ...f, participatingArea: 300, participatingOwners: 300, noArea: 190, noOwners: 190 })
    expect(r.decision).toEqual({ quorumMet: true, passed: false, threshold: 'majority' })
  })

  it('an officially passed matter that nobody opposed stays passed when non-voters follow yes', () => {
    const f = figures(7, 400, 400, [300, 300], [0, 0], [0, 0])
    const r = nonVotersFollowMajority(f)
    expect(decideMatter(f).passed).toBe(true)
    expect(r.followed).toBe('yes')
    expect(r.figures.yesArea).toBe(400)
    expect(r.decision.passed).toBe(true)
  })

  it('area and owners disagree on who leads: followed none, figures and decision are the official ones', () => {
    // yes leads by area (150 vs 50), no leads by owners (50 vs 150)
    const f = figures(4, 300, 300, [150, 50], [50, 150], [0, 0])
    const r = nonVotersFollowMajority(f)
    expect(r.followed).toBe('none')
    expect(r.figures).toEqual(f)
    expect(r.decision).toEqual(decideMatter(f))
    const g = figures(4, 300, 300, [50, 150], [150, 50], [0, 0])
    expect(nonVotersFollowMajority(g).followed).toBe('none')
  })

  it('a tie on either measure: followed none', () => {
    expect(nonVotersFollowMajority(figures(4, 300, 300, [100, 120], [100, 80], [0, 0])).followed).toBe('none') // area tie
    expect(nonVotersFollowMajority(figures(4, 300, 300, [120, 100], [80, 100], [0, 0])).followed).toBe('none') // owners tie
    expect(nonVotersFollowMajority(figures(4, 300, 300, [100, 100], [100, 100], [0, 0])).followed).toBe('none') // both
    expect(nonVotersFollowMajority(figures(4, 300, 300, [0, 0], [0, 0], [200, 200])).followed).toBe('none') // only abstentions
  })

  it('never changes the quorum: officially failed stays failed though augmented participation is 100%', () => {
    // 150 of 300 take part, all yes: quorum fails; the non-voters follow yes, so the augmented figures are 300/300 yes
    const f = figures(4, 300, 300, [150, 150], [0, 0], [0, 0])
    const r = nonVotersFollowMajority(f)
    expect(r.followed).toBe('yes')
    expect(r.figures.participatingArea).toBe(300)
    expect(r.figures.participatingOwners).toBe(300)
    expect(r.figures.yesArea).toBe(300)
    expect(decideMatter(r.figures).quorumMet).toBe(true) // what a wrong implementation would report
    expect(r.decision).toEqual({ quorumMet: false, passed: false, threshold: 'majority' })
  })

  it('never changes the quorum when only one of area/owners falls short', () => {
    const ownersShort = figures(4, 300, 300, [250, 150], [10, 10], [0, 0]) // area 260/300 met, owners 160/300 not
    expect(nonVotersFollowMajority(ownersShort).decision).toEqual({
      quorumMet: false,
      passed: false,
      threshold: 'majority',
    })
    const areaShort = figures(4, 300, 300, [150, 250], [10, 10], [0, 0])
    expect(nonVotersFollowMajority(areaShort).decision).toEqual({
      quorumMet: false,
      passed: false,
      threshold: 'majority',
    })
  })

  it('the augmented three-quarters boundary: exactly 3/4 after adding non-voters passes, one less does not', () => {
    // total 400, 300 take part (quorum met): yes 200 + 100 non-voters = 300 of 400 = exactly 3/4
    const at = nonVotersFollowMajority(figures(6, 400, 400, [200, 200], [50, 50], [50, 50]))
    expect(at.followed).toBe('yes')
    expect(at.decision).toEqual({ quorumMet: true, passed: true, threshold: 'three_quarters' })
    const below = nonVotersFollowMajority(figures(6, 400, 400, [199, 200], [51, 50], [50, 50]))
    expect(below.followed).toBe('yes')
    expect(below.figures.yesArea).toBe(299)
    expect(below.decision).toEqual({ quorumMet: true, passed: false, threshold: 'three_quarters' })
  })

  it('the augmented majority boundary: exactly half after adding non-voters fails (过半数 is strict)', () => {
    // total 400, 300 take part; yes 100 + 100 non-voters = 200 of 400 = exactly half
    const r = nonVotersFollowMajority(figures(4, 400, 400, [100, 100], [90, 90], [110, 110]))
    expect(r.followed).toBe('yes')
    expect(r.figures.yesArea).toBe(200)
    expect(r.decision.passed).toBe(false)
    const plus = nonVotersFollowMajority(figures(4, 400, 400, [101, 101], [90, 90], [109, 109]))
    expect(plus.decision.passed).toBe(true)
  })

  it('does not touch its input nor the official decision', () => {
    const f = figures(4, 300, 300, [90, 90], [80, 80], [30, 30])
    const copy = { ...f }
    const before = decideMatter(f)
    nonVotersFollowMajority(f)
    expect(f).toEqual(copy)
    expect(decideMatter(f)).toEqual(before)
  })

  it('refuses what decideMatter refuses', () => {
    expect(() =>
      nonVotersFollowMajority({ ...figures(4, 300, 300, [90, 90], [80, 80], [30, 30]), totalArea: 100 }),
    ).toThrow(RangeError)
    expect(() =>
      nonVotersFollowMajority({ ...figures(4, 300, 300, [90, 90], [80, 80], [30, 30]), yesOwners: -1 }),
    ).toThrow(/^yesOwners/)
  })

  it('randomized: the invariants hold for consistent figures', () => {
    const rnd = prng(278)
    const int = (n: number) => Math.floor(rnd() * (n + 1))
    for (let i = 0; i < 2000; i++) {
      const totalArea = 1 + int(5000)
      const totalOwners = 1 + int(60)
      const pA = int(totalArea)
      const pN = int(totalOwners)
      const yA = int(pA)
      const nA = int(pA - yA)
      const yN = int(pN)
      const nN = int(pN - yN)
      const category = (1 + int(8)) as MatterCategory
      const f = figures(category, totalArea, totalOwners, [yA, yN], [nA, nN], [pA - yA - nA, pN - yN - nN])
      const official = decideMatter(f)
      const r = nonVotersFollowMajority(f)
      const label = JSON.stringify(f)
      const expectedFollowed = yA > nA && yN > nN ? 'yes' : nA > yA && nN > yN ? 'no' : 'none'
      expect(r.followed, label).toBe(expectedFollowed)
      expect(r.decision.quorumMet, label).toBe(official.quorumMet)
      expect(r.decision.threshold, label).toBe(official.threshold)
      if (!official.quorumMet) expect(r.decision.passed, label).toBe(false)
      else expect(r.decision.passed, label).toBe(decideMatter(r.figures).passed)
      if (r.followed === 'none') {
        expect(r.figures, label).toEqual(f)
        expect(r.decision, label).toEqual(official)
      } else {
        expect(r.figures.participatingArea, label).toBe(totalArea)
        expect(r.figures.participatingOwners, label).toBe(totalOwners)
        expect(r.figures.yesArea + r.figures.noArea + r.figures.abstainArea, label).toBe(totalArea)
        expect(r.figures.yesOwners + r.figures.noOwners + r.figures.abstainOwners, label).toBe(totalOwners)
        expect(r.figures.abstainArea, label).toBe(f.abstainArea)
      }
    }
  })
})

describe('basisPoints / formatBasisPoints (display only)', () => {
  it('rounds down', () => {
    expect(basisPoints(1, 3)).toBe(3333)
    expect(basisPoints(2, 3)).toBe(6666) // 66.666…% shown as 66.66%, not 66.67%
    expect(basisPoints(905, 1152)).toBe(7855) // 78.559…%
    expect(basisPoints(9_344_908, 12_479_930)).toBe(7487) // 74.879…%
    expect(basisPoints(9999, 10000)).toBe(9999)
    expect(basisPoints(99_999, 100_000)).toBe(9999) // 99.999% is not shown as 100%
    expect(basisPoints(1, 10_001)).toBe(0)
  })

  it('whole and part', () => {
    expect(basisPoints(0, 0)).toBe(0)
    expect(basisPoints(5, 0)).toBe(0)
    expect(basisPoints(0, 7)).toBe(0)
    expect(basisPoints(7, 7)).toBe(10000)
    expect(basisPoints(1, 2)).toBe(5000)
  })

  it('is exact for areas of ~10^11 (0.01 m²)', () => {
    expect(basisPoints(100_000_000_000, 300_000_000_000)).toBe(3333)
    expect(basisPoints(199_999_999_999, 300_000_000_000)).toBe(6666)
    expect(basisPoints(299_999_999_999, 300_000_000_000)).toBe(9999)
    expect(basisPoints(300_000_000_000, 300_000_000_000)).toBe(10000)
  })

  it('formats with two decimals', () => {
    expect(formatBasisPoints(0)).toBe('0.00%')
    expect(formatBasisPoints(5)).toBe('0.05%')
    expect(formatBasisPoints(50)).toBe('0.50%')
    expect(formatBasisPoints(1234)).toBe('12.34%')
    expect(formatBasisPoints(7856)).toBe('78.56%')
    expect(formatBasisPoints(6666)).toBe('66.66%')
    expect(formatBasisPoints(10000)).toBe('100.00%')
  })
})

describe('voteTransitions', () => {
  it('is exactly this table', () => {
    expect(voteTransitions).toEqual({
      draft: ['published', 'cancelled'],
      published: ['open', 'cancelled'],
      open: ['closed'],
      closed: ['announced'],
      announced: [],
      cancelled: [],
    })
    expect(Object.keys(voteTransitions).sort()).toEqual([...VOTE_STATES].sort())
  })

  it('announced and cancelled are final', () => {
    expect(voteTransitions.announced).toEqual([])
    expect(voteTransitions.cancelled).toEqual([])
  })

  it('open cannot go back to published or draft; closed cannot reopen', () => {
    expect(voteTransitions.open).not.toContain('published')
    expect(voteTransitions.open).not.toContain('draft')
    expect(voteTransitions.closed).not.toContain('open')
  })

  it('there is no way back: no state is reachable from itself', () => {
    const reachable = (from: VoteState): Set<VoteState> => {
      const seen = new Set<VoteState>()
      const stack = [...voteTransitions[from]]
      while (stack.length) {
        const s = stack.pop()!
        if (seen.has(s)) continue
        seen.add(s)
        stack.push(...voteTransitions[s])
      }
      return seen
    }
    for (const s of VOTE_STATES) {
      expect(reachable(s).has(s), s).toBe(false)
      for (const t of voteTransitions[s]) expect(VOTE_STATES, `${s} → ${t}`).toContain(t)
    }
    expect(reachable('announced').size).toBe(0)
    expect(reachable('cancelled').size).toBe(0)
    expect([...reachable('draft')].sort()).toEqual(['announced', 'cancelled', 'closed', 'open', 'published'])
  })
})
