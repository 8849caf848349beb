import { View, Text } from '@tarojs/components'
import { basisPoints, formatBasisPoints, type MatterCount } from '@linli/shared/voting/rules'
import { ProgressBar, type LegalLine } from './ProgressBar'
import { decisionKind, decisionLabels, formatArea, lineChecks } from '../lib/tally'

export const QUORUM_LINE: LegalLine = { num: 2, den: 3, text: '三分之二（含本数）' }
export const APPROVAL_LINES: Record<'majority' | 'three_quarters', LegalLine> = {
  majority: { num: 1, den: 2, text: '过半数（须超过一半，恰好一半不通过）' },
  three_quarters: { num: 3, den: 4, text: '四分之三（含本数）' },
}

/** Participation against the 2/3 line, by area and by owners (both must be met). */
export function QuorumBars({ figures, idPrefix }: { figures: MatterCount; idPrefix: string }) {
  const c = lineChecks(figures)
  return (
    <View className='tally__group'>
      <ProgressBar
        id={`${idPrefix}-quorum-area`}
        label='参与表决的面积'
        part={figures.participatingArea}
        whole={figures.totalArea}
        figureText={`${formatArea(figures.participatingArea)} / ${formatArea(figures.totalArea)}`}
        line={QUORUM_LINE}
        met={c.quorumArea}
      />
      <ProgressBar
        id={`${idPrefix}-quorum-owners`}
        label='参与表决的人数'
        part={figures.participatingOwners}
        whole={figures.totalOwners}
        figureText={`${figures.participatingOwners} / ${figures.totalOwners} 人`}
        line={QUORUM_LINE}
        met={c.quorumOwners}
      />
      <Text className='hint' id={`${idPrefix}-quorum`} data-met={c.decision.quorumMet ? 'true' : 'false'}>
        {c.decision.quorumMet
          ? '参与表决已达到法定人数（面积和人数均达三分之二）'
          : '参与表决尚未达到法定人数（面积和人数均须达三分之二）'}
      </Text>
    </View>
  )
}

export interface TallyFigures extends MatterCount {
  noArea?: number
  noOwners?: number
  abstainArea?: number
  abstainOwners?: number
}

/**
 * One matter's figures and decision. The decision comes from the shared decideMatter (the server's own rule),
 * never from the rounded percentages. `provisional` = the vote is still open (按目前票数).
 */
export function TallyView({
  figures,
  idPrefix,
  provisional = false,
  showQuorum = true,
  decisionOverride,
}: {
  figures: TallyFigures
  idPrefix: string
  provisional?: boolean
  showQuorum?: boolean
  /** a separate tally (non-voters follow the majority): the law's approval on other figures, official quorum */
  decisionOverride?: { quorumMet: boolean; passed: boolean }
}) {
  const c = lineChecks(figures)
  const d = decisionOverride ? { ...c.decision, ...decisionOverride } : c.decision
  const kind = decisionKind(d)
  const line = APPROVAL_LINES[d.threshold]
  const share = (part: number | undefined, whole: number) => formatBasisPoints(basisPoints(part ?? 0, whole))
  return (
    <View className='tally'>
      {showQuorum ? <QuorumBars figures={figures} idPrefix={idPrefix} /> : null}
      <View className='tally__group'>
        <ProgressBar
          id={`${idPrefix}-yes-area`}
          label='同意的面积（占参与表决面积）'
          part={figures.yesArea}
          whole={figures.participatingArea}
          figureText={`${formatArea(figures.yesArea)} / ${formatArea(figures.participatingArea)}`}
          line={line}
          met={c.approvalArea}
        />
        <ProgressBar
          id={`${idPrefix}-yes-owners`}
          label='同意的人数（占参与表决人数）'
          part={figures.yesOwners}
          whole={figures.participatingOwners}
          figureText={`${figures.yesOwners} / ${figures.participatingOwners} 人`}
          line={line}
          met={c.approvalOwners}
        />
        {figures.noOwners !== undefined ? (
          <Text className='hint'>
            按人数：同意 {share(figures.yesOwners, figures.participatingOwners)} · 反对{' '}
            {share(figures.noOwners, figures.participatingOwners)} · 弃权{' '}
            {share(figures.abstainOwners, figures.participatingOwners)}（弃权算参与，不算同意）
          </Text>
        ) : null}
      </View>
      <View className={`decision decision--${kind}`}>
        <Text className='decision__label'>{provisional ? '按目前票数' : '表决结果'}</Text>
        <Text
          className='decision__value'
          id={`${idPrefix}-decision`}
          data-decision={kind}
          data-provisional={provisional ? 'true' : 'false'}
        >
          {decisionLabels[kind]}
        </Text>
      </View>
    </View>
  )
}
