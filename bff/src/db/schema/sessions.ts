import { char, index, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { createdAt, id, ref, timestamp } from './columns'
import { persons } from './persons'

/**
 * Rotating refresh tokens (only their SHA-256 is stored). A family is one login; presenting a token that was
 * already used revokes the whole family (stolen-token detection).
 */
export const refreshTokens = mysqlTable(
  'refresh_tokens',
  {
    id: id(),
    familyId: char('family_id', { length: 32 }).notNull(),
    personId: ref('person_id')
      .notNull()
      .references(() => persons.id),
    tokenHash: char('token_hash', { length: 64 }).notNull(),
    expiresAt: timestamp('expires_at').notNull(),
    usedAt: timestamp('used_at'),
    revokedAt: timestamp('revoked_at'),
    userAgent: varchar('user_agent', { length: 200 }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('refresh_tokens_hash').on(t.tokenHash),
    index('refresh_tokens_family').on(t.familyId),
    index('refresh_tokens_person').on(t.personId),
  ],
)
