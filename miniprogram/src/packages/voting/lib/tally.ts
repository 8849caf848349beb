import {
  basisPoints,
  decideMatter,
  type MatterCategory,
  type MatterCount,
  type MatterDecision,
} from '@linli/shared/voting/rules'
import type { Participation, Tally } from '@linli/shared/schemas'

/**
 * Everything the bars show, derived only from the shared decideMatter (the one implementation of the law):
 * the overall decision, and each line on its own (area, owners) by asking decideMatter about that side alone.
 */
export interface LineChecks {
  decision: MatterDecision
  quorumArea: boolean
  quorumOwners: boolean
  approvalArea: boolean
  approvalOwners: boolean
}

export function lineChecks(f: MatterCount): LineChecks {
  const decision = decideMatter(f)
  // one side at a time: make the other side trivially met, keep this side's figures
  const quorumArea = decideMatter({ ...f, participatingOwners: f.totalOwners, yesArea: 0, yesOwners: 0 }).quorumMet
  const quorumOwners = decideMatter({ ...f, participatingArea: f.totalArea, yesArea: 0, yesOwners: 0 }).quorumMet
  const one = { totalOwners: 1, participatingOwners: 1, yesOwners: 1 }
  const approvalArea =
    f.participatingArea > 0 &&
    decideMatter({
      category: f.category,
      totalArea: f.participatingArea,
      participatingArea: f.participatingArea,
      yesArea: f.yesArea,
      ...one,
    }).passed
  const approvalOwners =
    f.participatingOwners > 0 &&
    decideMatter({
      category: f.category,
      totalOwners: f.participatingOwners,
      participatingOwners: f.participatingOwners,
      yesOwners: f.yesOwners,
      totalArea: 1,
      participatingArea: 1,
      yesArea: 1,
    }).passed
  return { decision, quorumArea, quorumOwners, approvalArea, approvalOwners }
}

export type DecisionKind = 'passed' | 'failed' | 'no_quorum'

export function decisionKind(d: MatterDecision): DecisionKind {
  return !d.quorumMet ? 'no_quorum' : d.passed ? 'passed' : 'failed'
}

export const decisionLabels: Record<DecisionKind, string> = {
  passed: '通过',
  failed: '未通过',
  no_quorum: '未达法定参与人数',
}

/** The figures of a server tally, with the matter's category, ready for decideMatter. */
export function figuresOf(category: MatterCategory, t: Tally) {
  return {
    category,
    totalArea: t.totalArea,
    totalOwners: t.totalOwners,
    participatingArea: t.participatingArea,
    participatingOwners: t.participatingOwners,
    yesArea: t.yesArea,
    yesOwners: t.yesOwners,
    noArea: t.noArea,
    noOwners: t.noOwners,
    abstainArea: t.abstainArea,
    abstainOwners: t.abstainOwners,
  }
}

/** Participation only (no per-option figures): the quorum check of category 9 with no yes votes. */
export function participationFigures(p: Participation): MatterCount {
  return { category: 9, ...p, yesArea: 0, yesOwners: 0 }
}

/** 0.01 m² → "93449.08 m²" (integer arithmetic) */
export function formatArea(centi: number): string {
  return `${Math.floor(centi / 100)}.${String(centi % 100).padStart(2, '0')} m²`
}

export { basisPoints }
