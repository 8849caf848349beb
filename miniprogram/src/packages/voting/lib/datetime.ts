import { noticePeriod } from '@linli/shared/voting/rules'
import { formatDateTime, plainText } from '../../../utils/format'

/**
 * "2026-12-01 09:00" (or "2026-12-01", or with a T, or as formatDateTime writes it) in the
 * phone's local time → ISO; null when not a real time.
 */
export function parseLocalDateTime(text: string): string | null {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[\sT]+(\d{1,2}):(\d{2}))?$/.exec(plainText(text).trim())
  if (!m) return null
  const [y, mo, d, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0)]
  const date = new Date(y, mo - 1, d, h, mi)
  // reject 2026-02-30, 25:00 …: the Date would roll over
  if (
    date.getFullYear() !== y ||
    date.getMonth() !== mo - 1 ||
    date.getDate() !== d ||
    date.getHours() !== h ||
    date.getMinutes() !== mi
  )
    return null
  return date.toISOString()
}

/** ISO → "2026-12-01 09:00" (local), the format the inputs take (a plain space: it is text to edit). */
export function toLocalInput(iso: string | null | undefined): string {
  return iso ? plainText(formatDateTime(iso)) : ''
}

/** Whole days between the notice and the opening (rounded down): the shared noticePeriod, as the BFF counts. */
export function noticeDays(announcedAt: string, opensAt: string): number {
  return noticePeriod(announcedAt, opensAt).days
}

/** The law asks for the notice at least 15 days before voting opens (shared noticePeriod). */
export function noticeTooShort(announcedAt: string, opensAt: string): boolean {
  return noticePeriod(announcedAt, opensAt).short
}

/** 2026-12-01 09:00 至 2026-12-15 18:00 */
export function windowText(opensAt: string, closesAt: string): string {
  return `${formatDateTime(opensAt)} 至 ${formatDateTime(closesAt)}`
}
