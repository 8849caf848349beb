import type { FastifyRequest } from 'fastify'
import { ErrorResponse } from '@linli/shared/schemas'

/** Response schemas for the failures a route can answer, all in the one error shape. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorResponse> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorResponse]))
}

export const bearer = [{ bearer: [] as string[] }]

/** A route's rate limit per person (after authentication: neighbours share carrier-NAT addresses): a tenth of the per-address budget, at least `min` a minute. */
export const perPerson = (name: string, min: number, globalMax: number) => ({
  rateLimit: {
    max: Math.max(min, Math.floor(globalMax / 10)),
    timeWindow: '1 minute',
    hook: 'preHandler' as const,
    keyGenerator: (req: FastifyRequest) => `${name}:${req.user.personId}`,
  },
})
