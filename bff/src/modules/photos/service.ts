import { createHash, randomBytes } from 'node:crypto'
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import type { Photo } from '@linli/shared/schemas'
import { photos } from '../../db/schema'
import type { DbOrTx, Tx } from '../../db/client'
import { AppError, forbidden, notFound } from '../../errors'
import { cleanImage, ImageRejected } from './images'
import { MediaSigner, VIEW_TTL_MS, WEBHOOK_TTL_MS } from './media'
import { scheduleJob } from '../../plugins/scheduler'

type Deps = Pick<FastifyInstance, 'db' | 'storage' | 'scheduler' | 'config'>
export type PhotoRow = typeof photos.$inferSelect
/** what an attached photo belongs to: exactly one of these */
export type PhotoOwner = { requestId: number } | { proxyId: number } | { membershipId: number }
type OwnerKind = 'requestId' | 'proxyId' | 'membershipId'

const GC_JOB = 'photo.gc'
/** removes a stored file whose row is already gone (released photos) */
const ERASE_JOB = 'photo.erase'
/** unattached uploads are removed after a day; at most this many may wait at once per person */
const GC_AFTER_MS = 24 * 3_600_000
const MAX_PENDING = 30

const kindOf = (owner: PhotoOwner): OwnerKind =>
  'requestId' in owner ? 'requestId' : 'proxyId' in owner ? 'proxyId' : 'membershipId'
const columnOf = (kind: OwnerKind) =>
  kind === 'requestId' ? photos.requestId : kind === 'proxyId' ? photos.proxyId : photos.membershipId
const ownerColumn = (owner: PhotoOwner) => columnOf(kindOf(owner))
const ownerId = (owner: PhotoOwner): number => (owner as Record<OwnerKind, number>)[kindOf(owner)]
const unattached = (p: Pick<PhotoRow, 'requestId' | 'proxyId' | 'membershipId'>) =>
  p.requestId === null && p.proxyId === null && p.membershipId === null

/**
 * Deletes the photos attached to one thing inside the caller's transaction: their links stop working at once
 * (no row, 404) and the stored files are erased by the one scheduler right after commit, so a crash in between
 * leaves no file behind. Used where the purpose is served (个人信息保护法 第四十七条): a household application's
 * proof once it is decided or withdrawn.
 */
export async function releasePhotos(tx: Tx, owner: PhotoOwner): Promise<number> {
  const rows = await tx
    .select({ id: photos.id, storageKey: photos.storageKey })
    .from(photos)
    .where(eq(ownerColumn(owner), ownerId(owner)))
    .for('update')
  if (rows.length === 0) return 0
  await tx.delete(photos).where(
    inArray(
      photos.id,
      rows.map((r) => r.id),
    ),
  )
  const now = new Date()
  for (const r of rows)
    await scheduleJob(tx, {
      kind: ERASE_JOB,
      key: `${ERASE_JOB}:${r.id}`,
      runAt: now,
      payload: { storageKey: r.storageKey },
    })
  return rows.length
}

/**
 * The one mechanism for uploaded photos: checked by their bytes and cleaned of location metadata, stored through
 * the storage adapter, waiting (a day at most) until attached to what they belong to, then shown only through
 * signed, expiring links handed to whoever may see that thing.
 */
export function photoService(app: Deps) {
  const { db, scheduler } = app
  const signer = new MediaSigner(app.config.dataKey)
  const toPhoto = (p: Pick<PhotoRow, 'id' | 'contentType' | 'bytes'>): Photo => ({
    id: p.id,
    url: signer.path(p.id, VIEW_TTL_MS),
    contentType: p.contentType,
    bytes: p.bytes,
  })

  return {
    toPhoto,
    /** an absolute link that stays valid for days (inside webhooks, opened later by a property company) */
    webhookUrl: (id: number) => `${app.config.publicBaseUrl}${signer.path(id, WEBHOOK_TTL_MS)}`,

    /** One photo (wx.uploadFile sends one file per request): checked by its bytes, cleaned, stored, not yet attached. */
    async upload(personId: number, communityId: number, bytes: Buffer): Promise<Photo> {
      let image: ReturnType<typeof cleanImage>
      try {
        image = cleanImage(bytes)
      } catch (err) {
        if (err instanceof ImageRejected) throw new AppError('UNSUPPORTED_MEDIA_TYPE', `photo: ${err.message}`)
        throw err
      }
      const [pending] = await db
        .select({ n: sql<number>`COUNT(*)`.mapWith(Number) })
        .from(photos)
        .where(
          and(
            eq(photos.uploaderPersonId, personId),
            isNull(photos.requestId),
            isNull(photos.proxyId),
            isNull(photos.membershipId),
          ),
        )
      if ((pending?.n ?? 0) >= MAX_PENDING)
        throw new AppError(
          'RATE_LIMITED',
          `at most ${MAX_PENDING} photos may wait to be attached; use them or wait a day`,
        )
      const now = new Date()
      const key = `photos/${communityId}/${now.toISOString().slice(0, 7).replace('-', '')}/${randomBytes(16).toString('hex')}.${image.ext}`
      await app.storage.put(key, image.body)
      try {
        const id = await db.transaction(async (tx) => {
          const [res] = await tx
            .insert(photos)
            .values({
              communityId,
              uploaderPersonId: personId,
              storageKey: key,
              contentType: image.contentType,
              bytes: image.body.length,
              sha256: createHash('sha256').update(image.body).digest('hex'),
            })
            .$returningId()
          await scheduler.schedule(tx, {
            kind: GC_JOB,
            key: `${GC_JOB}:${res!.id}`,
            runAt: new Date(now.getTime() + GC_AFTER_MS),
            payload: { photoId: res!.id },
          })
          return res!.id
        })
        return toPhoto({ id, contentType: image.contentType, bytes: image.body.length })
      } catch (err) {
        await app.storage.delete(key).catch(() => undefined)
        throw err
      }
    },

    /**
     * Attaches photos, in the order given, inside the caller's transaction: each must be one this person
     * uploaded in this community and not yet attached to anything; `field` names the request field in the error.
     */
    async attach(
      tx: Tx,
      by: { personId: number; communityId: number; field: string },
      ids: readonly number[],
      owner: PhotoOwner,
    ): Promise<PhotoRow[]> {
      if (ids.length === 0) return []
      const rows = await tx
        .select()
        .from(photos)
        .where(inArray(photos.id, [...ids]))
        .for('update')
      const usable = rows.filter(
        (p) => p.uploaderPersonId === by.personId && p.communityId === by.communityId && unattached(p),
      )
      if (usable.length !== ids.length) {
        throw new AppError(
          'VALIDATION_FAILED',
          `${by.field}: each photo must be one you uploaded here and not yet attached`,
          [{ field: by.field, message: 'not an unattached photo of yours' }],
        )
      }
      for (const [position, id] of ids.entries())
        await tx
          .update(photos)
          .set({ [kindOf(owner)]: ownerId(owner), position })
          .where(eq(photos.id, id))
      return ids.map((id, position) => ({ ...usable.find((p) => p.id === id)!, ...owner, position }))
    },

    /** The photos attached to one thing, in order. */
    of(dbOrTx: DbOrTx, owner: PhotoOwner): Promise<PhotoRow[]> {
      return dbOrTx
        .select()
        .from(photos)
        .where(eq(ownerColumn(owner), ownerId(owner)))
        .orderBy(asc(photos.position), asc(photos.id))
    },

    /** The photos of several things of one kind at once, by owner id. */
    async ofMany(dbOrTx: DbOrTx, kind: OwnerKind, ids: readonly number[]): Promise<Map<number, PhotoRow[]>> {
      const byOwner = new Map<number, PhotoRow[]>()
      if (ids.length === 0) return byOwner
      const column = columnOf(kind)
      const rows = await dbOrTx
        .select()
        .from(photos)
        .where(inArray(column, [...ids]))
        .orderBy(asc(photos.position), asc(photos.id))
      for (const r of rows) {
        const id = r[kind]!
        byOwner.set(id, [...(byOwner.get(id) ?? []), r])
      }
      return byOwner
    },

    /** The media route: a signed link, checked, then the stored bytes. */
    async bytes(
      photoId: number,
      exp: number,
      sig: string,
    ): Promise<{ body: Buffer; contentType: string; maxAge: number }> {
      const verdict = signer.verify(photoId, exp, sig)
      if (verdict === 'invalid') throw forbidden('bad photo link')
      if (verdict === 'expired') throw forbidden('the photo link has expired; reload the page')
      const [photo] = await db.select().from(photos).where(eq(photos.id, photoId))
      const body = photo ? await app.storage.get(photo.storageKey) : null
      if (!photo || !body) throw notFound('photo')
      return { body, contentType: photo.contentType, maxAge: Math.max(0, exp - Math.floor(Date.now() / 1000)) }
    },
  }
}

export type PhotoService = ReturnType<typeof photoService>

/** The one scheduler removes a photo nobody attached within a day, and the files of released photos. */
export function registerPhotoJobs(app: Pick<FastifyInstance, 'scheduler' | 'storage'>) {
  app.scheduler.handle(GC_JOB, async (payload, tx) => {
    const [photo] = await tx
      .select()
      .from(photos)
      .where(eq(photos.id, Number(payload.photoId)))
      .for('update')
    if (!photo || !unattached(photo)) return
    await tx.delete(photos).where(eq(photos.id, photo.id))
    await app.storage.delete(photo.storageKey)
  })
  app.scheduler.handle(ERASE_JOB, async (payload) => {
    await app.storage.delete(String(payload.storageKey))
  })
}
