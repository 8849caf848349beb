import { Text } from '@tarojs/components'
import { srEscalationLabels, srStatusLabels } from '@linli/shared/service-requests/labels'
import type { SrEscalation, SrStatus } from '@linli/shared/service-requests/rules'

/** 已提交 / 处理中 / 已完结 …: the label as text, the machine state as data-state (never colour alone). */
export function SrBadge({ status, id }: { status: SrStatus; id?: string }) {
  return (
    <Text id={id} className={`srbadge srbadge--${status}`} data-state={status}>
      {srStatusLabels[status]}
    </Text>
  )
}

/** 超时未受理 / 超时未解决 */
export function EscalationMark({ escalation, id }: { escalation: SrEscalation | null; id?: string }) {
  if (!escalation) return null
  return (
    <Text id={id} className='srbadge srbadge--escalated' data-escalation={escalation}>
      {srEscalationLabels[escalation]}
    </Text>
  )
}
