import { and, eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { canTransition, type Relation, type VerificationState } from '@linli/shared/households/rules'
import { proofFits, proofKindLabels, type ProofKind } from '@linli/shared/households/proof'
import { REAL_NAME_MAX, cleanName, nameProblem } from '@linli/shared/households/names'
import type { Membership, MembershipApplication } from '@linli/shared/schemas'
import { memberships } from '../../db/schema'
import { isDuplicateKey, type Tx } from '../../db/client'
import { AppError, notFound } from '../../errors'
import { appendAudit, communityStream } from '../audit'
import { photoService, releasePhotos } from '../photos'
import {
  findUnitRef,
  getMembershipOfPerson,
  listApplications,
  listMembershipsOfPerson,
  pendingRosterMatches,
} from './repository'

type Deps = Pick<FastifyInstance, 'db' | 'protector' | 'storage' | 'scheduler' | 'config'>

/** What an applicant gives beside the unit and relation: their real name and photos of proof. */
export interface Application {
  unitId: number
  relation: Relation
  name?: string
  proof?: { kind: ProofKind; photoIds: number[] }
}

/**
 * The proof of an application serves its review only: once decided (or withdrawn) its photos are deleted and
 * the kind cleared (个人信息保护法 第十九条、第四十七条; README "Household applications").
 */
async function endReview(tx: Tx, membershipId: number): Promise<number> {
  const released = await releasePhotos(tx, { membershipId })
  await tx.update(memberships).set({ proofKind: null }).where(eq(memberships.id, membershipId))
  return released
}

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
    const released = await endReview(tx, m.id)
    await appendAudit(tx, {
      stream: communityStream(m.communityId),
      action: 'membership.verified',
      actorPersonId: null,
      subjectType: 'membership',
      subjectId: m.id,
      data: { method: 'roster_phone', unitId: m.unitId, personId: m.personId, proofPhotosDeleted: released },
    })
  }
  return matches.length
}

/** The stated name and proof, checked as the mini-program checks them (shared rules), or a 400 naming the field. */
function checkApplication(a: Application): { statedName: string | null; proof: Application['proof'] | null } {
  let statedName: string | null = null
  if (a.name !== undefined) {
    const problem = nameProblem(a.name, REAL_NAME_MAX, '姓名')
    if (problem)
      throw new AppError('VALIDATION_FAILED', `body.name: ${problem.code}`, [
        { field: 'body.name', message: problem.code, reason: problem.code, zh: problem.message },
      ])
    statedName = cleanName(a.name)
  }
  if (a.proof && !proofFits(a.relation, a.proof.kind)) {
    throw new AppError(
      'VALIDATION_FAILED',
      `body.proof.kind: ${a.proof.kind} does not prove the relation ${a.relation}`,
      [
        {
          field: 'body.proof.kind',
          message: 'proof_mismatch',
          reason: 'proof_mismatch',
          zh: `${proofKindLabels[a.proof.kind]}不能证明这种关系`,
        },
      ],
    )
  }
  return { statedName, proof: a.proof ?? null }
}

export function householdService(app: Deps) {
  const { db } = app
  const photos = photoService(app)

  async function decide(
    reviewerId: number,
    communityId: number,
    membershipId: number,
    to: VerificationState,
    reason?: string,
  ): Promise<MembershipApplication> {
    await db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(memberships)
        .where(and(eq(memberships.id, membershipId), eq(memberships.communityId, communityId)))
        .for('update')
      if (!row) throw notFound('membership')
      if (row.personId === reviewerId) throw new AppError('FORBIDDEN', 'you cannot review your own application')
      if (!canTransition(row.state, to))
        throw new AppError('INVALID_TRANSITION', `membership is ${row.state}`, { state: row.state })
      await tx
        .update(memberships)
        // a rejected application keeps only its reason: the stated name served the review and goes with the proof
        .set({
          state: to,
          method: 'committee_review',
          reviewedBy: reviewerId,
          reviewedAt: new Date(),
          rejectReason: reason ?? null,
          ...(to === 'rejected' ? { statedName: null } : {}),
        })
        .where(eq(memberships.id, membershipId))
      const released = await endReview(tx, membershipId)
      await appendAudit(tx, {
        stream: communityStream(communityId),
        action: to === 'verified' ? 'membership.approved' : 'membership.rejected',
        actorPersonId: reviewerId,
        subjectType: 'membership',
        subjectId: membershipId,
        data: {
          unitId: row.unitId,
          personId: row.personId,
          proofPhotosDeleted: released,
          ...(reason ? { reason } : {}),
        },
      })
    })
    const [app_] = await listApplications(db, app.protector, photos, communityId, { ids: [membershipId] })
    return app_!
  }

  /** Inside the application's transaction: the photos become the proof (each one the applicant uploaded there). */
  async function attachProof(
    tx: Tx,
    personId: number,
    communityId: number,
    membershipId: number,
    proof: Application['proof'] | null,
  ): Promise<string[]> {
    if (!proof) return []
    const attached = await photos.attach(tx, { personId, communityId, field: 'body.proof.photoIds' }, proof.photoIds, {
      membershipId,
    })
    await tx.update(memberships).set({ proofKind: proof.kind }).where(eq(memberships.id, membershipId))
    return attached.map((p) => p.sha256)
  }

  async function reapply(
    personId: number,
    a: Application,
    statedName: string | null,
    proof: Application['proof'] | null,
  ): Promise<number> {
    return db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(memberships)
        .where(and(eq(memberships.personId, personId), eq(memberships.unitId, a.unitId)))
        .for('update')
      if (!row || !canTransition(row.state, 'pending')) throw new AppError('MEMBERSHIP_EXISTS')
      await tx
        .update(memberships)
        .set({
          state: 'pending',
          relation: a.relation,
          method: null,
          reviewedAt: null,
          reviewedBy: null,
          rejectReason: null,
          statedName,
          proofKind: null,
        })
        .where(eq(memberships.id, row.id))
      const proofHashes = await attachProof(tx, personId, row.communityId, row.id, proof)
      await appendAudit(tx, {
        stream: communityStream(row.communityId),
        action: 'membership.requested',
        actorPersonId: personId,
        subjectType: 'membership',
        subjectId: row.id,
        data: {
          unitId: a.unitId,
          relation: a.relation,
          again: true,
          named: statedName !== null,
          proofKind: proof?.kind ?? null,
          proofPhotoHashes: proofHashes,
        },
      })
      await verifyPendingByRoster(tx, { personId, unitIds: [a.unitId] })
      return row.id
    })
  }

  return {
    listMine: (personId: number) => listMembershipsOfPerson(db, photos, personId),

    /**
     * Ask to join a unit, with a real name and photos of proof for the reviewer. Verified at once when an owner's
     * bound phone is on the roster (the proof is then deleted unseen); else pending review.
     */
    async request(personId: number, a: Application): Promise<Membership> {
      const { statedName, proof } = checkApplication(a)
      const unit = await findUnitRef(db, a.unitId)
      if (!unit) throw notFound('unit')
      const membershipId = await db
        .transaction(async (tx) => {
          let id: number
          try {
            const [res] = await tx
              .insert(memberships)
              .values({ personId, unitId: a.unitId, communityId: unit.communityId, relation: a.relation, statedName })
              .$returningId()
            id = res!.id
          } catch (err) {
            if (!isDuplicateKey(err)) throw err
            throw new AppError('MEMBERSHIP_EXISTS')
          }
          const proofHashes = await attachProof(tx, personId, unit.communityId, id, proof)
          await appendAudit(tx, {
            stream: communityStream(unit.communityId),
            action: 'membership.requested',
            actorPersonId: personId,
            subjectType: 'membership',
            subjectId: id,
            // fingerprints, not the name or the pictures: the log is kept for good, the proof is not
            data: {
              unitId: a.unitId,
              relation: a.relation,
              named: statedName !== null,
              proofKind: proof?.kind ?? null,
              proofPhotoHashes: proofHashes,
            },
          })
          await verifyPendingByRoster(tx, { personId, unitIds: [a.unitId] })
          return id
        })
        .catch(async (err) => {
          // A rejected application may be filed again: it goes back to pending for a fresh review.
          if (!(err instanceof AppError && err.code === 'MEMBERSHIP_EXISTS')) throw err
          return reapply(personId, a, statedName, proof)
        })
      return (await getMembershipOfPerson(db, photos, personId, membershipId))!
    },

    /** Withdraw a pending application or leave a household; only one's own. Its proof goes with it. */
    async withdraw(personId: number, membershipId: number): Promise<void> {
      await db.transaction(async (tx) => {
        const [row] = await tx
          .select()
          .from(memberships)
          .where(and(eq(memberships.id, membershipId), eq(memberships.personId, personId)))
          .for('update')
        if (!row) throw notFound('membership')
        await releasePhotos(tx, { membershipId })
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

    listApplications: (communityId: number, state?: VerificationState) =>
      listApplications(db, app.protector, photos, communityId, state ? { state } : {}),
    approve: (reviewerId: number, communityId: number, id: number) => decide(reviewerId, communityId, id, 'verified'),
    reject: (reviewerId: number, communityId: number, id: number, reason: string) =>
      decide(reviewerId, communityId, id, 'rejected', reason),
  }
}
