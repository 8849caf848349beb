import { Type, type Static } from '@sinclair/typebox'
import { Id } from './common'

/**
 * An uploaded photo (a service request's, a proxy's signed authorisation): uploaded first, one file per request
 * as wx.uploadFile sends it, then attached by id to what it belongs to.
 */
export const Photo = Type.Object({
  id: Id,
  /** signed, short-lived URL (an <Image> cannot send a bearer token) */
  url: Type.String(),
  contentType: Type.String(),
  bytes: Type.Integer(),
})
export type Photo = Static<typeof Photo>
