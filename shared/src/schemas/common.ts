import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { ErrorCodes } from '../errors'

export const Id = Type.Integer({ minimum: 1, maximum: 4294967295 })
export const IdParam = (name: string) => Type.Object({ [name]: Id }, { additionalProperties: false })

/** ISO-8601 timestamp as sent over the wire. */
export const Timestamp = Type.String({ format: 'date-time' })

/** Literal union from a const tuple, so one list of values serves types, validation and OpenAPI. */
export function StringEnum<const T extends readonly string[]>(values: T, options: { description?: string } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })
}

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: StringEnum(Object.keys(ErrorCodes) as (keyof typeof ErrorCodes)[]),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { description: 'Every failure has this shape; branch on error.code.' },
)
export type ErrorResponse = Static<typeof ErrorResponse>

export const ListOf = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) })
