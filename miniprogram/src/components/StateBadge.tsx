import { Text } from '@tarojs/components'
import type { VerificationState } from '@linli/shared/households/rules'
import { verificationStateLabels } from '@linli/shared/households/rules'

/** 待审核 / 已认证 / 未通过, with colour and a text label (never colour alone). */
export function StateBadge({ state, id }: { state: VerificationState; id?: string }) {
  return (
    <Text id={id} className={`badge badge--${state}`} data-state={state}>
      {verificationStateLabels[state]}
    </Text>
  )
}
