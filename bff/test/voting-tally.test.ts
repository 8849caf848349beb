import { Tally } from '@linli/shared/schemas'
import { decideMatter, type Choice, type MatterFigures } from '@linli/shared/voting/rules'
import { describe, expect, it } from 'vitest'
import { figuresOf, tallyMatter, toTally } from '../src/modules/voting/tally'

/** Counting the ballots of one matter and deciding it (domain.md §1). Areas are integers of 0.01 m². */

const b = (areaCenti: number, choice: Choice) => ({ areaCenti, choice })

/** The API contract (shared/src/schemas/voting.ts): exactly the schema's keys, integers where it says integer. */
function expectConformsToTallySchema(t: unknown) {
  const check = (
    value: unknown,
    schema: { type?: string; properties?: Record<string, unknown>; enum?: unknown[] },
    path: string,
  ) => {
    if (schema.type === 'object') {
      expect(typeof value, path).toBe('object')
      const v = value as Record<string, unknown>
      expect(Object.keys(v).sort(), path).toEqual(Object.keys(schema.properties!).sort())
      for (const [k, sub] of Object.entries(schema.properties!)) check(v[k], sub as typeof schema, `${path}.${k}`)
    } else if (schema.type === 'integer') {
      expect(Number.isSafeInteger(value), `${path} = ${String(value)}`).toBe(true)
    } else if (schema.type === 'boolean') {
      expect(typeof value, path).toBe('boolean')
    } else if (schema.enum) {
      expect(schema.enum, path).toContain(value)
    } else {
      throw new Error(`schema of ${path} not understood by this check`)
    }
  }
  check(t, Tally as never, 'tally')
}

describe('figuresOf', () => {
  it('sums area and owners per choice; everyone who voted participates, abstentions included', () => {
    const f = figuresOf(4, { totalArea: 1000, totalOwners: 10 }, [
      b(100, 'yes'),
      b(50, 'yes'),
      b(70, 'no'),
      b(30, 'abstain'),
      b(1, 'yes'),
      b(250, 'abstain'),
      b(9, 'no'),
    ])
    expect(f).toEqual({
      category: 4,
      totalArea: 1000,
      totalOwners: 10,
      participatingArea: 510,
      participatingOwners: 7,
      yesArea: 151,
      yesOwners: 3,
      noArea: 79,
      noOwners: 2,
      abstainArea: 280,
      abstainOwners: 2,
    })
  })

  it('no ballots: everything zero but the totals', () => {
    expect(figuresOf(7, { totalArea: 5, totalOwners: 2 }, [])).toEqual({
      category: 7,
      totalArea: 5,
      totalOwners: 2,
      participatingArea: 0,
      participatingOwners: 0,
      yesArea: 0,
      yesOwners: 0,
      noArea: 0,
      noOwners: 0,
      abstainArea: 0,
      abstainOwners: 0,
    })
  })

  it('each ballot is one owner whatever its area (the roll already merged a buyer’s units)', () => {
    const f = figuresOf(1, { totalArea: 30000, totalOwners: 3 }, [b(20945, 'yes'), b(0, 'no'), b(9000, 'no')])
    expect(f.participatingOwners).toBe(3)
    expect(f.yesOwners).toBe(1)
    expect(f.noOwners).toBe(2)
    expect(f.yesArea).toBe(20945)
  })

  it('parts always add up to participation, for many random ballot sets', () => {
    let s = 12345
    const next = (n: number) => {
      s = (s * 1103515245 + 12345) % 2147483648
      return s % n
    }
    for (let i = 0; i < 200; i++) {
      const ballots = Array.from({ length: next(40) }, () =>
        b(next(20000), (['yes', 'no', 'abstain'] as const)[next(3)]!),
      )
      const f = figuresOf(4, { totalArea: 10 ** 9, totalOwners: 1000 }, ballots)
      expect(f.yesArea + f.noArea + f.abstainArea).toBe(f.participatingArea)
      expect(f.yesOwners + f.noOwners + f.abstainOwners).toBe(f.participatingOwners)
      expect(f.participatingOwners).toBe(ballots.length)
      expect(f.participatingArea).toBe(ballots.reduce((n, x) => n + x.areaCenti, 0))
      expect(f.yesArea).toBe(ballots.filter((x) => x.choice === 'yes').reduce((n, x) => n + x.areaCenti, 0))
      expect(f.noOwners).toBe(ballots.filter((x) => x.choice === 'no').length)
    }
  })

  it('abstentions make a majority fail: 4 yes / 3 no / 3 abstain of 10 equal units is not passed', () => {
    const ballots = [
      ...Array(4).fill(b(100, 'yes')),
      ...Array(3).fill(b(100, 'no')),
      ...Array(3).fill(b(100, 'abstain')),
    ]
    const f = figuresOf(4, { totalArea: 1000, totalOwners: 10 }, ballots)
    expect(decideMatter(f)).toEqual({ quorumMet: true, passed: false, threshold: 'majority' })
    // the same ballots without the abstentions would pass (4 of 7): abstentions must count as participating
    expect(decideMatter(figuresOf(4, { totalArea: 1000, totalOwners: 10 }, ballots.slice(0, 7)))).toEqual({
      quorumMet: true,
      passed: true,
      threshold: 'majority',
    })
  })
})

/** The Shanghai worked example as 905 ballots: 589 yes covering 6,167,000; 316 no/abstain covering the rest. */
function shanghaiBallots() {
  const ballots: { areaCenti: number; choice: Choice }[] = []
  const spread = (n: number, area: number, choice: (i: number) => Choice) => {
    for (let i = 0; i < n; i++) ballots.push(b(Math.floor(area / n) + (i < area % n ? 1 : 0), choice(i)))
  }
  spread(589, 6_167_000, () => 'yes')
  spread(316, 9_344_908 - 6_167_000, (i) => (i < 250 ? 'no' : 'abstain'))
  return ballots
}

describe('toTally', () => {
  it('the Shanghai example: counts, shares in basis points (rounded down) and the decision', () => {
    const f = figuresOf(4, { totalArea: 12_479_930, totalOwners: 1152 }, shanghaiBallots())
    expect(f.participatingOwners).toBe(905)
    expect(f.participatingArea).toBe(9_344_908)
    expect(f.yesOwners).toBe(589)
    expect(f.yesArea).toBe(6_167_000)
    const t = toTally(f)
    expect(t.shares.participatingOwners).toBe(7855) // 78.559…% (published, rounded: 78.56%)
    expect(t.shares.participatingArea).toBe(7487) // 74.879…% (published, rounded: 74.88%)
    expect(t.shares.yesOwners).toBe(6508) // 65.08%
    expect(t.shares.yesArea).toBe(6599) // 65.99%
    expect(t).toMatchObject({ quorumMet: true, passed: true, threshold: 'majority' })
    expect(t.noOwners + t.abstainOwners).toBe(316)
    expectConformsToTallySchema(t)
  })

  it('copies every count and computes every share against the right whole', () => {
    const f: MatterFigures = {
      category: 6,
      totalArea: 3000,
      totalOwners: 30,
      participatingArea: 2400,
      participatingOwners: 21,
      yesArea: 1800,
      yesOwners: 16,
      noArea: 400,
      noOwners: 3,
      abstainArea: 200,
      abstainOwners: 2,
    }
    expect(toTally(f)).toEqual({
      totalArea: 3000,
      totalOwners: 30,
      participatingArea: 2400,
      participatingOwners: 21,
      yesArea: 1800,
      yesOwners: 16,
      noArea: 400,
      noOwners: 3,
      abstainArea: 200,
      abstainOwners: 2,
      shares: {
        participatingArea: 8000, // of total area
        participatingOwners: 7000, // of total owners
        yesArea: 7500, // of participating area
        yesOwners: 7619, // 16/21 = 76.19…%
        noArea: 1666, // 16.66…%
        noOwners: 1428, // 14.28…%
        abstainArea: 833, // 8.33…%
        abstainOwners: 952, // 9.52…%
      },
      // 1800/2400 is exactly 3/4 and 16/21 ≥ 3/4: passed (以上 includes the number)
      quorumMet: true,
      passed: true,
      threshold: 'three_quarters',
    })
  })

  it('no ballots: shares are 0, quorum not met, not passed', () => {
    const t = toTally(figuresOf(1, { totalArea: 100, totalOwners: 4 }, []))
    expect(Object.values(t.shares)).toEqual([0, 0, 0, 0, 0, 0, 0, 0])
    expect(t).toMatchObject({ quorumMet: false, passed: false, threshold: 'majority' })
    expectConformsToTallySchema(t)
  })

  it('uses the decision it is given, otherwise decides with the law', () => {
    const f = figuresOf(4, { totalArea: 300, totalOwners: 3 }, [b(100, 'yes'), b(100, 'yes'), b(100, 'no')])
    expect(toTally(f)).toMatchObject(decideMatter(f))
    expect(toTally(f, { quorumMet: true, passed: false, threshold: 'majority' })).toMatchObject({ passed: false })
  })

  it('refuses inconsistent figures (the law’s RangeError)', () => {
    const f = figuresOf(4, { totalArea: 100, totalOwners: 1 }, [b(100, 'yes'), b(100, 'yes')]) // 2 ballots, 1 owner on the roll
    expect(() => toTally(f)).toThrow(RangeError)
  })
})

describe('tallyMatter', () => {
  // 300 owners of 100 each; 200 vote: 90 yes, 80 no, 30 abstain — quorum met, officially NOT passed
  const ballots = [
    ...Array(90).fill(b(100, 'yes')),
    ...Array(80).fill(b(100, 'no')),
    ...Array(30).fill(b(100, 'abstain')),
  ]
  const f = figuresOf(4, { totalArea: 30_000, totalOwners: 300 }, ballots)

  it('without the non-voters rule: the official tally only', () => {
    const r = tallyMatter(f, false)
    expect(r).toEqual({ official: toTally(f), nonVotersFollowMajority: null })
    expect(r.official).toMatchObject({ quorumMet: true, passed: false, threshold: 'majority' })
  })

  it('with it: the official tally unchanged, plus a separate tally with the non-voters added to the leading side', () => {
    const r = tallyMatter(f, true)
    expect(r.official).toEqual(toTally(f))
    expect(r.official.passed).toBe(false)
    expect(r.nonVotersFollowMajority).not.toBeNull()
    const { tally, followed } = r.nonVotersFollowMajority!
    expect(followed).toBe('yes')
    expect(tally).toMatchObject({
      totalArea: 30_000,
      totalOwners: 300,
      participatingArea: 30_000,
      participatingOwners: 300,
      yesArea: 19_000,
      yesOwners: 190,
      noArea: 8_000,
      noOwners: 80,
      abstainArea: 3_000,
      abstainOwners: 30,
      quorumMet: true,
      passed: true,
      threshold: 'majority',
    })
    expect(tally.shares).toEqual({
      participatingArea: 10000,
      participatingOwners: 10000,
      yesArea: 6333,
      yesOwners: 6333,
      noArea: 2666,
      noOwners: 2666,
      abstainArea: 1000,
      abstainOwners: 1000,
    })
    expectConformsToTallySchema(tally)
    expectConformsToTallySchema(r.official)
  })

  it('the separate tally keeps the official quorum: not met stays not met, though its participation shows 100%', () => {
    const few = figuresOf(4, { totalArea: 30_000, totalOwners: 300 }, Array(150).fill(b(100, 'yes')))
    const r = tallyMatter(few, true)
    expect(r.official).toMatchObject({ quorumMet: false, passed: false })
    const second = r.nonVotersFollowMajority!
    expect(second.followed).toBe('yes')
    expect(second.tally.shares.participatingArea).toBe(10000)
    expect(second.tally.yesArea).toBe(30_000)
    expect(second.tally).toMatchObject({ quorumMet: false, passed: false, threshold: 'majority' })
  })

  it('when nobody leads on both measures the separate tally equals the official one', () => {
    const split = figuresOf(4, { totalArea: 1000, totalOwners: 4 }, [
      b(400, 'yes'),
      b(100, 'no'),
      b(100, 'no'),
      b(100, 'abstain'),
    ])
    const r = tallyMatter(split, true)
    expect(r.nonVotersFollowMajority).toEqual({ tally: r.official, followed: 'none' })
  })

  it('the non-voters following no cannot make a matter pass', () => {
    const against = figuresOf(4, { totalArea: 30_000, totalOwners: 300 }, [
      ...Array(80).fill(b(100, 'yes')),
      ...Array(120).fill(b(100, 'no')),
    ])
    const r = tallyMatter(against, true)
    expect(r.nonVotersFollowMajority!.followed).toBe('no')
    expect(r.nonVotersFollowMajority!.tally).toMatchObject({
      participatingArea: 30_000,
      yesArea: 8_000,
      noArea: 22_000,
      quorumMet: true,
      passed: false,
    })
    expect(r.official.passed).toBe(false)
  })
})
