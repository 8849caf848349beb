import { ErrorCodes, type ErrorCode } from '@linli/shared/errors'

/** The one error type. Services throw it; the app's error handler turns it into `{ error: { code, message } }`. */
export class AppError extends Error {
  override name = 'AppError'
  readonly status: number
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? ErrorCodes[code].zh)
    this.status = ErrorCodes[code].status
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`)
export const forbidden = (message = 'not allowed') => new AppError('FORBIDDEN', message)
