import fp from 'fastify-plugin'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { ErrorBody, ErrorCode } from '@linli/shared/errors'
import { PHONE_PATTERN, phoneProblem } from '@linli/shared/privacy/phone'
import { AppError } from '../errors'

const JWT_CODES: Record<string, ErrorCode> = {
  FST_JWT_NO_AUTHORIZATION_IN_HEADER: 'UNAUTHENTICATED',
  FST_JWT_AUTHORIZATION_TOKEN_EXPIRED: 'TOKEN_EXPIRED',
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
}

function body(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } }
}

const BUSY_ERRNOS = new Set([1213, 1205]) // ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
])

/** mysql2 errors reach us as is, or wrapped by drizzle (DrizzleQueryError.cause). */
function transientDatabaseError(err: unknown): 'busy' | 'unreachable' | null {
  for (
    let e = err as { errno?: number; code?: string; cause?: unknown } | undefined, depth = 0;
    e && depth < 3;
    e = e.cause as typeof e, depth++
  ) {
    if (typeof e.errno === 'number' && BUSY_ERRNOS.has(e.errno)) return 'busy'
    if (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)) return 'unreachable'
  }
  return null
}

/** The value a validation error points at (`body` + `/a/0/b`), read from the request as it was sent. */
function valueAt(request: FastifyRequest, context: string | undefined, path: string[]): unknown {
  const root =
    context === 'body'
      ? request.body
      : context === 'querystring'
        ? request.query
        : context === 'params'
          ? request.params
          : context === 'headers'
            ? request.headers
            : undefined
  let at: unknown = root
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined
    at = (at as Record<string, unknown>)[decodeURIComponent(key.replace(/~1/g, '/').replace(/~0/g, '~'))]
  }
  return at
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return reply.status(404).send(body('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`))
}

/** One place maps every failure to `{ error: { code, message, details? } }`. */
export default fp(
  async (app) => {
    app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
      if (err instanceof AppError) {
        return reply.status(err.status).send(body(err.code, err.message, err.details))
      }
      const e = err as FastifyError
      if (e.validation) {
        const details = e.validation.map((v) => {
          const path = v.instancePath.split('/').filter(Boolean)
          const field = [e.validationContext, ...path]
          const missing = (v.params as { missingProperty?: string })?.missingProperty
          if (missing) field.push(missing)
          const extra = (v.params as { additionalProperty?: string })?.additionalProperty
          if (extra) field.push(extra)
          // a phone field says why the number is not a mainland mobile number (the one rule, shared/src/privacy/phone.ts)
          if (v.keyword === 'pattern' && (v.params as { pattern?: string })?.pattern === PHONE_PATTERN) {
            const value = valueAt(request, e.validationContext, path)
            const problem = typeof value === 'string' ? phoneProblem(value) : null
            if (problem)
              return {
                field: field.join('.'),
                message: `not a mainland mobile number: ${problem.code}`,
                reason: problem.code,
                zh: problem.message,
              }
          }
          return { field: field.join('.'), message: v.message ?? 'invalid' }
        })
        const first = details[0]
        return reply
          .status(400)
          .send(body('VALIDATION_FAILED', first ? `${first.field}: ${first.message}` : 'invalid input', details))
      }
      if (e.code?.startsWith('FST_JWT_')) {
        const code = JWT_CODES[e.code] ?? 'TOKEN_INVALID'
        return reply.status(401).send(body(code, e.message))
      }
      // A database that is briefly busy (deadlock victim, lock wait timeout) or unreachable is not the caller's
      // fault and not a bug: 503 with a retry hint; the transaction was rolled back, so nothing was half-written.
      const transient = transientDatabaseError(err)
      if (transient) {
        request.log.warn({ err: transient }, 'database busy or unreachable')
        return reply
          .status(503)
          .header('retry-after', '1')
          .send(
            body(
              'SERVICE_UNAVAILABLE',
              `the database is ${transient === 'unreachable' ? 'unreachable' : 'busy'}, please retry`,
            ),
          )
      }
      const status = e.statusCode ?? 500
      if (status >= 400 && status < 500) {
        return reply.status(status).send(body(STATUS_CODES[status] ?? 'BAD_REQUEST', e.message))
      }
      request.log.error({ err }, 'unhandled error')
      return reply.status(500).send(body('INTERNAL', 'internal error'))
    })
  },
  { name: 'error-handler' },
)
