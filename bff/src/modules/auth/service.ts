import { and, eq, isNull, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import type { TokenPair } from '@linli/shared/schemas'
import { persons, refreshTokens } from '../../db/schema'
import { AppError } from '../../errors'
import { retryOnDeadlock } from '../../db/client'
import { randomToken, sha256Hex } from '../../lib/crypto'

type Deps = Pick<FastifyInstance, 'db' | 'wechat' | 'config' | 'signAccessToken' | 'revokeSessionAccess'>

export function authService(app: Deps) {
  const { db, config } = app

  async function issueTokens(
    personId: number,
    familyId: string,
    userAgent: string | undefined,
    tx = db,
  ): Promise<TokenPair> {
    const refreshToken = randomToken(32)
    await tx.insert(refreshTokens).values({
      familyId,
      personId,
      tokenHash: sha256Hex(refreshToken),
      expiresAt: new Date(Date.now() + config.jwt.refreshTtl * 1000),
      userAgent: userAgent?.slice(0, 200) ?? null,
    })
    return {
      accessToken: app.signAccessToken(personId, familyId),
      expiresIn: config.jwt.accessTtl,
      refreshToken,
      refreshExpiresIn: config.jwt.refreshTtl,
    }
  }

  return {
    /** wx.login code → person (created on first login) → a new session */
    async login(code: string, userAgent?: string): Promise<{ personId: number; tokens: TokenPair }> {
      const session = await app.wechat.code2Session(code)
      await db
        .insert(persons)
        .values({
          appid: config.wechat.appid,
          openid: session.openid,
          unionid: session.unionid ?? null,
          displayName: defaultDisplayName(),
        })
        .onDuplicateKeyUpdate({ set: { unionid: sql`COALESCE(VALUES(${persons.unionid}), ${persons.unionid})` } })
      const [person] = await db
        .select({ id: persons.id })
        .from(persons)
        .where(and(eq(persons.appid, config.wechat.appid), eq(persons.openid, session.openid)))
      if (!person) throw new AppError('INTERNAL', 'person upsert failed')
      return { personId: person.id, tokens: await issueTokens(person.id, randomToken(24).slice(0, 32), userAgent) }
    },

    /**
     * Rotation: each refresh token works once. Presenting a used one means it leaked (or a client bug):
     * the whole family is revoked and everyone holding it must log in again.
     */
    async refresh(token: string, userAgent?: string): Promise<TokenPair> {
      // two refreshes with one token race on its row: the loser may be a deadlock victim; run again, it then sees the token used
      const outcome = await retryOnDeadlock(() =>
        db.transaction(async (tx) => {
          const [row] = await tx
            .select()
            .from(refreshTokens)
            .where(eq(refreshTokens.tokenHash, sha256Hex(token)))
            .for('update')
          if (!row || row.revokedAt || row.expiresAt.getTime() <= Date.now()) return { kind: 'invalid' as const }
          if (row.usedAt) {
            await tx
              .update(refreshTokens)
              .set({ revokedAt: new Date() })
              .where(and(eq(refreshTokens.familyId, row.familyId), isNull(refreshTokens.revokedAt)))
            return { kind: 'reused' as const, familyId: row.familyId }
          }
          await tx.update(refreshTokens).set({ usedAt: new Date() }).where(eq(refreshTokens.id, row.id))
          return { kind: 'ok' as const, tokens: await issueTokens(row.personId, row.familyId, userAgent, tx) }
        }),
      )
      if (outcome.kind === 'invalid') throw new AppError('REFRESH_TOKEN_INVALID')
      if (outcome.kind === 'reused') {
        await app.revokeSessionAccess(outcome.familyId)
        throw new AppError('REFRESH_TOKEN_REUSED')
      }
      return outcome.tokens
    },

    /** Ends the session the token belongs to; unknown tokens are ignored (nothing to reveal). */
    async logout(token: string): Promise<void> {
      const [row] = await db
        .select({ familyId: refreshTokens.familyId })
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, sha256Hex(token)))
      if (!row) return
      await db
        .update(refreshTokens)
        .set({ revokedAt: new Date() })
        .where(and(eq(refreshTokens.familyId, row.familyId), isNull(refreshTokens.revokedAt)))
      await app.revokeSessionAccess(row.familyId)
    },
  }
}

function defaultDisplayName(): string {
  return `邻居${Math.floor(1000 + Math.random() * 9000)}`
}
