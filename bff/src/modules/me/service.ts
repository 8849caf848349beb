import { eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import type { Me } from '@linli/shared/schemas'
import { maskPhone, normalizePhone, phoneProblem } from '@linli/shared/privacy/mask'
import { DISPLAY_NAME_MAX, cleanName, nameProblem } from '@linli/shared/households/names'
import { communities, communityRoles, persons } from '../../db/schema'
import { AppError } from '../../errors'
import { listMembershipsOfPerson } from '../households'
import { verifyPendingByRoster } from '../households'
import { photoService } from '../photos'

type Deps = Pick<FastifyInstance, 'db' | 'protector' | 'wechat' | 'storage' | 'scheduler' | 'config'>

export function meService(app: Deps) {
  const { db, protector } = app
  const photos = photoService(app)

  async function get(personId: number): Promise<Me> {
    const [[person], roles, households] = await Promise.all([
      db.select().from(persons).where(eq(persons.id, personId)),
      db
        .select({ communityId: communityRoles.communityId, communityName: communities.name, role: communityRoles.role })
        .from(communityRoles)
        .innerJoin(communities, eq(communities.id, communityRoles.communityId))
        .where(eq(communityRoles.personId, personId)),
      listMembershipsOfPerson(db, photos, personId),
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

    /** The name others see (reviewers, the roles screen, the committee's lists); checked as the mini-program checks it. */
    async rename(personId: number, displayName: string): Promise<Me> {
      const problem = nameProblem(displayName, DISPLAY_NAME_MAX, '昵称')
      if (problem)
        throw new AppError('VALIDATION_FAILED', `body.displayName: ${problem.code}`, [
          { field: 'body.displayName', message: problem.code, reason: problem.code, zh: problem.message },
        ])
      await db
        .update(persons)
        .set({ displayName: cleanName(displayName) })
        .where(eq(persons.id, personId))
      return get(personId)
    },

    /** Phone from WeChat's getPhoneNumber (a verified number); then owner applications it proves are verified. */
    async bindPhone(personId: number, code: string): Promise<Me> {
      const { phone: raw } = await app.wechat.getPhoneNumber(code)
      const phone = normalizePhone(raw)
      if (!phone) {
        const problem = phoneProblem(raw)
        throw new AppError(
          'WECHAT_PHONE_CODE_INVALID',
          'WeChat returned a number that is not a mainland mobile number',
          [
            {
              field: 'phone',
              message: problem?.code ?? 'invalid',
              reason: problem?.code ?? 'invalid',
              zh: `微信绑定的号码不是大陆手机号：${problem?.message ?? ''}`,
            },
          ],
        )
      }
      await db.transaction(async (tx) => {
        await tx
          .update(persons)
          .set({ phoneEnc: protector.encrypt(phone), phoneHash: protector.blindIndex(phone) })
          .where(eq(persons.id, personId))
        await verifyPendingByRoster(tx, { personId })
      })
      return get(personId)
    },
  }
}
