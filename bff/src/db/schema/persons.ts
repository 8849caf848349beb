import { boolean, index, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { createdAt, id, updatedAt } from './columns'

/** A WeChat user of the mini-program. Phone is stored encrypted (AES-256-GCM) plus a keyed hash for matching. */
export const persons = mysqlTable(
  'persons',
  {
    id: id(),
    appid: varchar('appid', { length: 32 }).notNull(),
    openid: varchar('openid', { length: 64 }).notNull(),
    unionid: varchar('unionid', { length: 64 }),
    displayName: varchar('display_name', { length: 32 }).notNull(),
    phoneEnc: varchar('phone_enc', { length: 128 }),
    phoneHash: varchar('phone_hash', { length: 64 }),
    isPlatformAdmin: boolean('is_platform_admin').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('persons_app_openid').on(t.appid, t.openid),
    index('persons_unionid').on(t.unionid),
    index('persons_phone').on(t.phoneHash),
  ],
)
