import { and, eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { canTransition, type Relation, type VerificationState } from '@linli/shared/households/rules'
import type { Membership, MembershipApplication } from '@linli/shared/schemas'
import { memberships } from '../../db/schema'
import { isDuplicateKey, type Tx } from '../../db/client'
import { AppError, notFound } from '../../errors'
import { appendAudit, communityStream } from '../audit/service'
import { findUnitRef, getMembershipOfPerson, listApplications, listMembershipsOfPerson, pendingRosterMatches } from './repository'

type Deps = Pick<FastifyInstance, 'db' | 'protector'>

/**
 * Verifies pending owner applications whose bound phone is on the unit's roster. Called wherever either side
 * of that match can change: a new application, a newly bound phone, a roster import.
 */
export async function verifyPendingByRoster(tx: Tx, scope: { personId?: number; unitIds?: number[] }): Promise<number> {
  const matches = await pendingRosterMatches(tx, scope)
  for (const m of matches) {
    await tx
      .update(memberships)
      .set({ state: 'verified', method: 'roster_phone', reviewedAt: new Date(), reviewedBy: null, rejectReason: null })
      .where(and(eq(memberships.id, m.id), eq(memberships.state, 'pending')))
    await appendAudit(tx, {
      stream: communityStream(m.communityId),
      action: 'membership.verified',
      actorPersonId: null,
      subjectType: 'membership',
      subjectId: m.id,
      data: { method: 'roster_phone', unitId: m.unitId, personId: m.personId },
    })
  }
  return matches.length
}

export function householdService(app: Deps) {
  const { db } = app

  async function decide(reviewerId: number, communityId: number, membershipId: number, to: VerificationState, reason?: string): Promise<MembershipApplication> {
    await db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(memberships)
        .where(and(eq(memberships.id, membershipId), eq(memberships.communityId, communityId)))
        .for('update')
      if (!row) throw notFound('membership')
      if (row.personId === reviewerId) throw new AppError('FORBIDDEN', 'you cannot review your own application')
      if (!canTransition(row.state, to)) throw new AppError('INVALID_TRANSITION', `membership is ${row.state}`, { state: row.state })
      await tx
        .update(memberships)
        .set({ state: to, method: 'committee_review', reviewedBy: reviewerId, reviewedAt: new Date(), rejectReason: reason ?? null })
        .where(eq(memberships.id, membershipId))
      await appendAudit(tx, {
        stream: communityStream(communityId),
        action: to === 'verified' ? 'membership.approved' : 'membership.rejected',
        actorPersonId: reviewerId,
        subjectType: 'membership',
        subjectId: membershipId,
        data: reason ? { unitId: row.unitId, personId: row.personId, reason } : { unitId: row.unitId, personId: row.personId },
      })
    })
    const [app_] = await listApplications(db, app.protector, communityId, { ids: [membershipId] })
    return app_!
  }

  async function reapply(personId: number, unitId: number, relation: Relation): Promise<number> {
    return db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(memberships)
        .where(and(eq(memberships.personId, personId), eq(memberships.unitId, unitId)))
        .for('update')
      if (!row || !canTransition(row.state, 'pending')) throw new AppError('MEMBERSHIP_EXISTS')
      await tx
        .update(memberships)
        .set({ state: 'pending', relation, method: null, reviewedAt: null, reviewedBy: null, rejectReason: null })
        .where(eq(memberships.id, row.id))
      await appendAudit(tx, {
        stream: communityStream(row.communityId),
        action: 'membership.requested',
        actorPersonId: personId,
        subjectType: 'membership',
        subjectId: row.id,
        data: { unitId, relation, again: true },
      })
      await verifyPendingByRoster(tx, { personId, unitIds: [unitId] })
      return row.id
    })
  }

  return {
    listMine: (personId: number) => listMembershipsOfPerson(db, personId),

    /** Ask to join a unit. Verified at once when an owner's bound phone is on the roster; else pending review. */
    async request(personId: number, unitId: number, relation: Relation): Promise<Membership> {
      const unit = await findUnitRef(db, unitId)
      if (!unit) throw notFound('unit')
      const membershipId = await db.transaction(async (tx) => {
        let id: number
        try {
          const [res] = await tx.insert(memberships).values({ personId, unitId, communityId: unit.communityId, relation }).$returningId()
          id = res!.id
        } catch (err) {
          if (!isDuplicateKey(err)) throw err
          throw new AppError('MEMBERSHIP_EXISTS')
        }
        await appendAudit(tx, {
          stream: communityStream(unit.communityId),
          action: 'membership.requested',
          actorPersonId: personId,
          subjectType: 'membership',
          subjectId: id,
          data: { unitId, relation },
        })
        await verifyPendingByRoster(tx, { personId, unitIds: [unitId] })
        return id
      }).catch(async (err) => {
        // A rejected application may be filed again: it goes back to pending for a fresh review.
        if (!(err instanceof AppError && err.code === 'MEMBERSHIP_EXISTS')) throw err
        return reapply(personId, unitId, relation)
      })
      return (await getMembershipOfPerson(db, personId, membershipId))!
    },

    /** Withdraw a pending application or leave a household; only one's own. */
    async withdraw(personId: number, membershipId: number): Promise<void> {
      await db.transaction(async (tx) => {
        const [row] = await tx
          .select()
          .from(memberships)
          .where(and(eq(memberships.id, membershipId), eq(memberships.personId, personId)))
          .for('update')
        if (!row) throw notFound('membership')
        await tx.delete(memberships).where(eq(memberships.id, membershipId))
        await appendAudit(tx, {
          stream: communityStream(row.communityId),
          action: 'membership.withdrawn',
          actorPersonId: personId,
          subjectType: 'membership',
          subjectId: membershipId,
          data: { unitId: row.unitId, state: row.state },
        })
      })
    },

    listApplications: (communityId: number, state?: VerificationState) => listApplications(db, app.protector, communityId, state ? { state } : {}),
    approve: (reviewerId: number, communityId: number, id: number) => decide(reviewerId, communityId, id, 'verified'),
    reject: (reviewerId: number, communityId: number, id: number, reason: string) => decide(reviewerId, communityId, id, 'rejected', reason),
  }
}

