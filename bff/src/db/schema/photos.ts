import { char, foreignKey, index, int, mysqlTable, tinyint, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { createdAt, id, ref } from './columns'
import { communities } from './communities'
import { memberships } from './memberships'
import { persons } from './persons'
import { serviceRequests } from './service-requests'
import { voteProxies } from './voting'

/**
 * Uploaded photos, one mechanism for every feature: uploaded first (one file per upload, as wx.uploadFile sends
 * them), then attached to what they belong to — a service request, a proxy's signed authorisation, or the proof
 * of a household application — by setting its column (at most one is set). Photos never attached are deleted
 * after a day; proof photos as soon as the application is decided.
 */
export const photos = mysqlTable(
  'photos',
  {
    id: id(),
    communityId: ref('community_id').notNull(),
    uploaderPersonId: ref('uploader_person_id').notNull(),
    requestId: ref('request_id'),
    proxyId: ref('proxy_id'),
    membershipId: ref('membership_id'),
    position: tinyint('position', { unsigned: true }).notNull().default(0),
    storageKey: varchar('storage_key', { length: 128 }).notNull(),
    contentType: varchar('content_type', { length: 16 }).notNull(),
    bytes: int('bytes', { unsigned: true }).notNull(),
    sha256: char('sha256', { length: 64 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('photos_request').on(t.requestId, t.position),
    index('photos_proxy').on(t.proxyId, t.position),
    index('photos_membership').on(t.membershipId, t.position),
    index('photos_uploader').on(t.uploaderPersonId, t.createdAt),
    uniqueIndex('photos_key').on(t.storageKey),
    foreignKey({ name: 'photos_community_fk', columns: [t.communityId], foreignColumns: [communities.id] }),
    foreignKey({ name: 'photos_uploader_fk', columns: [t.uploaderPersonId], foreignColumns: [persons.id] }),
    foreignKey({ name: 'photos_request_fk', columns: [t.requestId], foreignColumns: [serviceRequests.id] }),
    foreignKey({ name: 'photos_proxy_fk', columns: [t.proxyId], foreignColumns: [voteProxies.id] }),
    foreignKey({ name: 'photos_membership_fk', columns: [t.membershipId], foreignColumns: [memberships.id] }),
  ],
)
