import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import multipart from '@fastify/multipart'
import { Type } from '@sinclair/typebox'
import { megabytes } from '@linli/shared/photos'
import { Id, Photo } from '@linli/shared/schemas'
import { bearer, errorResponses, perPerson } from '../../http'
import { eq } from 'drizzle-orm'
import { AppError, notFound } from '../../errors'
import { communities } from '../../db/schema'
import { photoService } from './service'

const tags = ['photos']
const CommunityParams = Type.Object({ communityId: Id }, { additionalProperties: false })
const PhotoParams = Type.Object({ photoId: Id }, { additionalProperties: false })
const UploadQuery = Type.Object(
  {
    purpose: Type.Optional(
      Type.Literal('membership', {
        description:
          'proof for one’s own household application: open to anyone signed in (applicants are not residents yet)',
      }),
    ),
  },
  { additionalProperties: false },
)
const MediaQuery = Type.Object(
  { exp: Type.Integer({ minimum: 0 }), sig: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }) },
  { additionalProperties: false },
)
const mediaType = (header: string | undefined) => (header ?? '').split(';')[0]!.trim().toLowerCase()

/** Signed photo links: no bearer token (an <Image> cannot send one); the signature is the permission. */
const mediaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const photos = photoService(app)
  app.get(
    '/media/photos/:photoId',
    {
      schema: {
        tags,
        summary: 'A photo, through a signed, expiring link handed to someone who may see what it belongs to',
        params: PhotoParams,
        querystring: MediaQuery,
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the image' }),
          ...errorResponses(400, 403, 404),
        },
      },
    },
    async (req, reply) => {
      const photo = await photos.bytes(req.params.photoId, req.query.exp, req.query.sig)
      return reply
        .header('content-type', photo.contentType)
        .header('cache-control', `private, max-age=${photo.maxAge}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'")
        .send(photo.body)
    },
  )
}

const uploadRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const photos = photoService(app)
  app.addHook('onRequest', app.authenticate)
  await app.register(multipart, {
    limits: { fileSize: app.config.uploads.maxBytes, files: 1, fields: 5, parts: 6, fieldSize: 1024 },
  })
  app.post(
    '/communities/:communityId/photos',
    {
      onRequest: async (req) => {
        if (mediaType(req.headers['content-type']) !== 'multipart/form-data')
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'upload the photo as multipart/form-data')
      },
      preHandler: async (req) => {
        if (req.query.purpose !== 'membership') return app.authorize('photo.upload')(req)
        await app.authorize('membership.proof_upload')(req)
        const [c] = await app.db
          .select({ id: communities.id })
          .from(communities)
          .where(eq(communities.id, req.params.communityId))
        if (!c) throw notFound('community')
      },
      config: perPerson('photo', 60, app.config.rateLimitMax),
      schema: {
        tags,
        summary:
          'Upload one photo (multipart/form-data, one file): JPEG, PNG or WebP by its bytes, at most 5 MB, location metadata removed',
        description:
          'Attach it by id to what you file (a service request, a proxy’s written authorisation, the proof of a household application). Photos not attached within a day are deleted. Larger than PHOTO_MAX_BYTES (shared/src/photos.ts): 413 PAYLOAD_TOO_LARGE; not a JPEG, PNG or WebP by its bytes: 415 UNSUPPORTED_MEDIA_TYPE.',
        security: bearer,
        consumes: ['multipart/form-data'],
        params: CommunityParams,
        querystring: UploadQuery,
        response: { 201: Photo, ...errorResponses(400, 401, 403, 404, 413, 415, 429) },
      },
    },
    async (req, reply) => {
      const part = await req.file()
      if (!part)
        throw new AppError('VALIDATION_FAILED', 'file: a photo is required', [{ field: 'file', message: 'required' }])
      let bytes: Buffer
      try {
        bytes = await part.toBuffer()
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
          throw new AppError('PAYLOAD_TOO_LARGE', `a photo may be at most ${megabytes(app.config.uploads.maxBytes)}`, {
            maxBytes: app.config.uploads.maxBytes,
          })
        throw err
      }
      return reply.status(201).send(await photos.upload(req.user.personId, req.params.communityId, bytes))
    },
  )
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(mediaRoutes)
  await app.register(uploadRoutes)
}

export default routes
