import {
  basisPoints,
  decideMatter,
  nonVotersFollowMajority,
  type Choice,
  type MatterCategory,
  type MatterFigures,
} from '@linli/shared/voting/rules'
import type { Tally } from '@linli/shared/schemas'

/** Sums the counted ballots of one matter and decides it with the one implementation of the law. */
export function figuresOf(
  category: MatterCategory,
  totals: { totalArea: number; totalOwners: number },
  ballots: { areaCenti: number; choice: Choice }[],
): MatterFigures {
  const f: MatterFigures = {
    category,
    ...totals,
    participatingArea: 0,
    participatingOwners: 0,
    yesArea: 0,
    yesOwners: 0,
    noArea: 0,
    noOwners: 0,
    abstainArea: 0,
    abstainOwners: 0,
  }
  for (const b of ballots) {
    f.participatingArea += b.areaCenti
    f.participatingOwners += 1
    if (b.choice === 'yes') {
      f.yesArea += b.areaCenti
      f.yesOwners += 1
    } else if (b.choice === 'no') {
      f.noArea += b.areaCenti
      f.noOwners += 1
    } else if (b.choice === 'abstain') {
      f.abstainArea += b.areaCenti
      f.abstainOwners += 1
    } else {
      throw new RangeError(`unknown choice ${String(b.choice)}`)
    }
  }
  return f
}

export function toTally(f: MatterFigures, decision = decideMatter(f)): Tally {
  return {
    totalArea: f.totalArea,
    totalOwners: f.totalOwners,
    participatingArea: f.participatingArea,
    participatingOwners: f.participatingOwners,
    yesArea: f.yesArea,
    yesOwners: f.yesOwners,
    noArea: f.noArea,
    noOwners: f.noOwners,
    abstainArea: f.abstainArea,
    abstainOwners: f.abstainOwners,
    shares: {
      participatingArea: basisPoints(f.participatingArea, f.totalArea),
      participatingOwners: basisPoints(f.participatingOwners, f.totalOwners),
      yesArea: basisPoints(f.yesArea, f.participatingArea),
      yesOwners: basisPoints(f.yesOwners, f.participatingOwners),
      noArea: basisPoints(f.noArea, f.participatingArea),
      noOwners: basisPoints(f.noOwners, f.participatingOwners),
      abstainArea: basisPoints(f.abstainArea, f.participatingArea),
      abstainOwners: basisPoints(f.abstainOwners, f.participatingOwners),
    },
    ...decision,
  }
}

export function tallyMatter(f: MatterFigures, withNonVoters: boolean) {
  const official = toTally(f)
  if (!withNonVoters) return { official, nonVotersFollowMajority: null }
  const second = nonVotersFollowMajority(f)
  return {
    official,
    nonVotersFollowMajority: { tally: toTally(second.figures, second.decision), followed: second.followed },
  }
}
