import { REJECT_REASON_MAX } from '@linli/shared/households/rules'

export const REJECT_REASON_MIN = 2

/** Checks a reject reason as the BFF will (2..200 characters after trimming); null = fine. */
export function validateRejectReason(reason: string): string | null {
  const n = reason.trim().length
  if (n < REJECT_REASON_MIN) return `请填写原因，至少 ${REJECT_REASON_MIN} 个字`
  if (n > REJECT_REASON_MAX) return `原因最多 ${REJECT_REASON_MAX} 个字`
  return null
}
