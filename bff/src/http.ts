import { ErrorResponse } from '@linli/shared/schemas'

/** Response schemas for the failures a route can answer, all in the one error shape. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorResponse> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorResponse]))
}

export const bearer = [{ bearer: [] as string[] }]
