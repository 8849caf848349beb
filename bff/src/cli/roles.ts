import { and, eq } from 'drizzle-orm'
import { COMMUNITY_ROLES, type CommunityRole } from '@linli/shared/households/roles'
import { loadConfig } from '../config'
import { cliArgs } from './args'
import { createDb } from '../db/client'
import { communityRoles, persons } from '../db/schema'
import { appendAudit, communityStream } from '../modules/audit'

// Bootstrap roles from the command line (the first platform admin, community workers):
//   roles grant --openid <openid> --community <id> --role committee|worker
//   roles admin --openid <openid>            (platform admin)
const { values, positionals } = cliArgs(
  { openid: { type: 'string' }, community: { type: 'string' }, role: { type: 'string' } },
  'usage: roles grant --openid <openid> --community <id> --role committee|worker | roles admin --openid <openid>',
)
const [command] = positionals
const config = loadConfig()
const { db, pool } = createDb(config.databaseUrl, 2)
try {
  const [person] = await db
    .select()
    .from(persons)
    .where(and(eq(persons.appid, config.wechat.appid), eq(persons.openid, values.openid ?? '')))
  if (!person) throw new Error(`no person with openid ${values.openid} (they must have logged in once)`)
  if (command === 'admin') {
    await db.update(persons).set({ isPlatformAdmin: true }).where(eq(persons.id, person.id))
    console.log(`[linli] ${person.displayName} is now a platform admin`)
  } else if (command === 'grant') {
    const communityId = Number(values.community)
    const role = values.role as CommunityRole
    if (!COMMUNITY_ROLES.includes(role) || !Number.isInteger(communityId))
      throw new Error('grant needs --community <id> --role committee|worker')
    await db.transaction(async (tx) => {
      await tx
        .insert(communityRoles)
        .values({ communityId, personId: person.id, role })
        .onDuplicateKeyUpdate({ set: { role } })
      await appendAudit(tx, {
        stream: communityStream(communityId),
        action: 'role.granted',
        actorPersonId: null,
        subjectType: 'person',
        subjectId: person.id,
        data: { role, via: 'cli' },
      })
    })
    console.log(`[linli] ${person.displayName} is now ${role} of community ${communityId}`)
  } else {
    throw new Error('usage: roles grant|admin --openid <openid> [--community <id> --role committee|worker]')
  }
} catch (err) {
  console.error(`[linli] ${(err as Error).message}`)
  process.exitCode = 1
} finally {
  await pool.end()
}
