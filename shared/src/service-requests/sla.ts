/**
 * SLA arithmetic (MicroCommunity-style: minutes to accept, minutes to resolve). Calendar minutes, UTC instants:
 * the clock of a leaking pipe does not stop at night. Acceptance is due `acceptMinutes` after filing; resolution
 * `resolveMinutes` after acceptance (after a reopening, counted again from the reopening).
 */
const MINUTE = 60_000

export interface Sla {
  acceptMinutes: number
  resolveMinutes: number
}

/** 1 minute … 90 days: a category's SLA must be a positive whole number of minutes. */
export const SLA_MIN_MINUTES = 1
export const SLA_MAX_MINUTES = 90 * 24 * 60

export function assertSla(sla: Sla): void {
  for (const [name, v] of [
    ['acceptMinutes', sla.acceptMinutes],
    ['resolveMinutes', sla.resolveMinutes],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < SLA_MIN_MINUTES || v > SLA_MAX_MINUTES)
      throw new RangeError(
        `${name} must be a whole number of minutes between ${SLA_MIN_MINUTES} and ${SLA_MAX_MINUTES}, got ${String(v)}`,
      )
  }
}

export const addMinutes = (at: Date, minutes: number): Date => new Date(at.getTime() + minutes * MINUTE)

export function acceptDueAt(filedAt: Date, sla: Pick<Sla, 'acceptMinutes'>): Date {
  return addMinutes(filedAt, sla.acceptMinutes)
}

/** `from` is the acceptance, or the reopening for a reopened request. */
export function resolveDueAt(from: Date, sla: Pick<Sla, 'resolveMinutes'>): Date {
  return addMinutes(from, sla.resolveMinutes)
}

/** Due means due: a deadline reached to the millisecond is overdue. */
export function isOverdue(dueAt: Date, now: Date): boolean {
  return now.getTime() >= dueAt.getTime()
}

/** Met: done no later than the deadline. */
export function metDeadline(doneAt: Date, dueAt: Date): boolean {
  return doneAt.getTime() <= dueAt.getTime()
}

/** Whole seconds from a to b (negative if b is before a), as the figures count them. */
export function secondsBetween(a: Date, b: Date): number {
  return Math.trunc((b.getTime() - a.getTime()) / 1000)
}

/** When the next urge is allowed after one at `lastUrgedAt` (null: now). */
export function nextUrgeAt(lastUrgedAt: Date | null, cooldownMinutes: number): Date | null {
  return lastUrgedAt ? addMinutes(lastUrgedAt, cooldownMinutes) : null
}

/** Seconds still to wait before urging again (0 when allowed now); rounded up so "wait 0 s" never refuses. */
export function urgeWaitSeconds(lastUrgedAt: Date | null, now: Date, cooldownMinutes: number): number {
  const next = nextUrgeAt(lastUrgedAt, cooldownMinutes)
  if (!next) return 0
  const ms = next.getTime() - now.getTime()
  return ms > 0 ? Math.ceil(ms / 1000) : 0
}

/**
 * The median of whole numbers, exactly: the middle one, or the mean of the two middle ones (may end in .5).
 * The BFF computes the same in SQL; this is the reference the tests compare it with.
 */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** A share in basis points (1/100 of a percent), rounded down; 0 of 0 is null (no data, not 0 %). */
export function shareBasisPoints(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.floor((part * 10000) / whole)
}

/** A mean with two decimals (rounded half up) from an integer sum and count, or null for none. */
export function meanCenti(sum: number, count: number): number | null {
  return count === 0 ? null : Math.round((sum * 100) / count) / 100
}
