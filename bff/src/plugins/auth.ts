import fp from 'fastify-plugin'
import jwt, { type TokenOrHeader } from '@fastify/jwt'
import type { FastifyRequest } from 'fastify'
import { and, eq, inArray } from 'drizzle-orm'
import { rolesAllow, type Permission, type Role } from '@linli/shared/households/roles'
import { AppError } from '../errors'
import { communityRoles, memberships, persons } from '../db/schema'
import { createRevocations, type Revocations } from './revocations'

export interface AccessClaims {
  sub: string
  /** session (refresh-token family) id, so logout can cut the access token short */
  sid: string
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims
    user: { personId: number; sid: string }
  }
}

/** What the caller holds, loaded once per request when a route needs it. */
export interface Actor {
  personId: number
  isPlatformAdmin: boolean
  roles: Map<number, Set<Role>>
}

/** The one place that says which roles a person holds in a community: granted roles, 'resident' for a verified
 *  household there, and 'admin' everywhere for a platform administrator. */
export function rolesIn(actor: Actor, communityId: number): Set<Role> {
  const held = new Set<Role>(actor.roles.get(communityId) ?? [])
  if (actor.isPlatformAdmin) held.add('admin')
  return held
}

const routeCommunity = (req: FastifyRequest) => Number((req.params as { communityId?: number }).communityId)

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: (req: FastifyRequest) => Promise<void>
    /** preHandler: the caller must hold `permission` in the community named by the `communityId` route param */
    authorize: (permission: Permission) => (req: FastifyRequest) => Promise<void>
    signAccessToken: (personId: number, sid: string) => string
    revokeSessionAccess: (sid: string) => Promise<void>
    revocations: Revocations
  }
  interface FastifyRequest {
    loadActor: () => Promise<Actor>
    /** the caller's roles in the community named by the `communityId` route param */
    rolesHere: () => Promise<Set<Role>>
    /** whether the caller holds `permission` in the community named by the `communityId` route param */
    may: (permission: Permission) => Promise<boolean>
  }
}

export default fp(
  async (app) => {
    const { keys, activeKid, accessTtl } = app.config.jwt
    await app.register(jwt, {
      // Verification picks the key named by the token's kid, so keys can rotate: sign with the new, accept both.
      secret: async (_req: FastifyRequest, token: TokenOrHeader) => {
        const kid = ('header' in token ? token.header : token).kid
        const key = kid ? keys.get(kid) : undefined
        if (!key) throw new AppError('TOKEN_INVALID', 'unknown signing key')
        return key
      },
      decode: { complete: true },
      sign: { algorithm: 'HS256', iss: 'linli' },
      verify: { algorithms: ['HS256'], allowedIss: 'linli' },
      formatUser: (claims) => ({ personId: Number(claims.sub), sid: claims.sid }),
    })

    const activeKey = keys.get(activeKid)!
    app.decorate('signAccessToken', (personId: number, sid: string) =>
      app.jwt.sign({ sub: String(personId), sid }, { key: activeKey, kid: activeKid, expiresIn: accessTtl }),
    )

    const revocations = createRevocations(app.redis, app.config.redisPrefix, accessTtl, app.log)
    app.addHook('onClose', async () => revocations.close())
    app.decorate('revocations', revocations)

    app.decorate('revokeSessionAccess', async (sid: string) => {
      // The refresh family is revoked in MySQL; this only ends its live access tokens early.
      await revocations.revoke(sid)
    })

    app.decorate('authenticate', async (req: FastifyRequest) => {
      if (!req.headers.authorization) throw new AppError('UNAUTHENTICATED', 'missing bearer token')
      await req.jwtVerify()
      if (await revocations.isRevoked(req.user.sid)) throw new AppError('TOKEN_INVALID', 'session ended')
    })

    app.decorateRequest('loadActor', function (this: FastifyRequest) {
      const req = this as FastifyRequest & { _actor?: Promise<Actor> }
      req._actor ??= loadActor(req.user.personId)
      return req._actor
    })

    async function loadActor(personId: number): Promise<Actor> {
      const [person] = await app.db
        .select({ isPlatformAdmin: persons.isPlatformAdmin })
        .from(persons)
        .where(eq(persons.id, personId))
      if (!person) throw new AppError('TOKEN_INVALID', 'account no longer exists')
      const roles = new Map<number, Set<Role>>()
      const add = (communityId: number, role: Role) => {
        const set = roles.get(communityId) ?? new Set<Role>()
        set.add(role)
        roles.set(communityId, set)
      }
      const [granted, resident] = await Promise.all([
        app.db
          .select({ communityId: communityRoles.communityId, role: communityRoles.role })
          .from(communityRoles)
          .where(eq(communityRoles.personId, personId)),
        app.db
          .selectDistinct({ communityId: memberships.communityId })
          .from(memberships)
          .where(and(eq(memberships.personId, personId), inArray(memberships.state, ['verified']))),
      ])
      for (const g of granted) add(g.communityId, g.role)
      for (const r of resident) add(r.communityId, 'resident')
      return { personId, isPlatformAdmin: person.isPlatformAdmin, roles }
    }

    app.decorateRequest('rolesHere', async function (this: FastifyRequest) {
      return rolesIn(await this.loadActor(), routeCommunity(this))
    })
    app.decorateRequest('may', async function (this: FastifyRequest, permission: Permission) {
      return rolesAllow(permission, await this.rolesHere())
    })

    app.decorate('authorize', (permission: Permission) => async (req: FastifyRequest) => {
      if (!(await req.may(permission)))
        throw new AppError('FORBIDDEN', `requires ${permission} in community ${routeCommunity(req)}`)
    })
  },
  { name: 'auth', dependencies: ['config', 'db', 'redis'] },
)
