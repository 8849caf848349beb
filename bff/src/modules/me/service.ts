import { eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import type { Me } from '@linli/shared/schemas'
import { maskPhone, normalizePhone } from '@linli/shared/privacy/mask'
import { communities, communityRoles, persons } from '../../db/schema'
import { AppError } from '../../errors'
import { listMembershipsOfPerson } from '../households/repository'
import { verifyPendingByRoster } from '../households/service'

type Deps = Pick<FastifyInstance, 'db' | 'protector' | 'wechat'>

export function meService(app: Deps) {
  const { db, protector } = app

  async function get(personId: number): Promise<Me> {
    const [[person], roles, households] = await Promise.all([
      db.select().from(persons).where(eq(persons.id, personId)),
      db
        .select({ communityId: communityRoles.communityId, communityName: communities.name, role: communityRoles.role })
        .from(communityRoles)
        .innerJoin(communities, eq(communities.id, communityRoles.communityId))
        .where(eq(communityRoles.personId, personId)),
      listMembershipsOfPerson(db, personId),
    ])
    if (!person) throw new AppError('TOKEN_INVALID', 'account no longer exists')
    return {
      id: person.id,
      displayName: person.displayName,
      phoneMasked: person.phoneEnc ? maskPhone(protector.decrypt(person.phoneEnc)) : null,
      isPlatformAdmin: person.isPlatformAdmin,
      roles,
      households,
    }
  }

  return {
    get,

    async rename(personId: number, displayName: string): Promise<Me> {
      await db.update(persons).set({ displayName: displayName.trim() }).where(eq(persons.id, personId))
      return get(personId)
    },

    /** Phone from WeChat's getPhoneNumber (a verified number); then owner applications it proves are verified. */
    async bindPhone(personId: number, code: string): Promise<Me> {
      const { phone: raw } = await app.wechat.getPhoneNumber(code)
      const phone = normalizePhone(raw)
      if (!phone) throw new AppError('WECHAT_PHONE_CODE_INVALID', 'WeChat returned a number that is not a mainland mobile number')
      await db.transaction(async (tx) => {
        await tx.update(persons).set({ phoneEnc: protector.encrypt(phone), phoneHash: protector.blindIndex(phone) }).where(eq(persons.id, personId))
        await verifyPendingByRoster(tx, { personId })
      })
      return get(personId)
    },
  }
}
