import type { FastifyBaseLogger } from 'fastify'
import type { Redis } from 'ioredis'

/**
 * Sessions ended early (logout, refresh-token reuse). Redis holds them — `sess:revoked:<sid>`, expiring with the
 * longest-lived access token — and is the truth. Every instance also keeps a mirror of them, fed by pub/sub, so
 * checking a request's session costs no round trip to Redis; while the mirror may have missed something (before
 * its first sync, after its connection dropped) the check asks Redis instead. If Redis itself is down the
 * check lets the request through, as before: revocation only shortens tokens that expire anyway.
 */
export const revokedKey = (sid: string) => `sess:revoked:${sid}`
const CHANNEL = 'sess:revoked'

export interface Revocations {
  revoke(sid: string): Promise<void>
  isRevoked(sid: string): boolean | Promise<boolean>
  /** the mirror is complete: checks are answered without Redis (for tests and /readyz-style checks) */
  readonly synced: boolean
  close(): void
}

export function createRevocations(
  redis: Redis,
  prefix: string,
  ttlSeconds: number,
  log: FastifyBaseLogger,
): Revocations {
  const mirror = new Map<string, number>() // sid → when its entry may be forgotten (ms)
  let synced = false
  const remember = (sid: string, ttlMs = ttlSeconds * 1000) => {
    mirror.set(sid, Date.now() + ttlMs)
    if (mirror.size % 1024 === 0) for (const [s, until] of mirror) if (until < Date.now()) mirror.delete(s)
  }
  const ask = async (sid: string) => (await redis.exists(revokedKey(sid)).catch(() => 0)) === 1

  // A subscriber connection of its own (a subscribed connection can do nothing else).
  const sub = redis.duplicate({ lazyConnect: true, enableOfflineQueue: true, maxRetriesPerRequest: null })
  sub.on('message', (channel, sid) => {
    if (channel === `${prefix}${CHANNEL}`) remember(sid)
  })
  sub.on('error', (err) => log.warn({ err: err.message }, 'revocations subscriber error'))
  sub.on('close', () => (synced = false))
  // On every (re)connection: subscribe first, then read what Redis holds, so nothing published meanwhile is missed.
  sub.on('ready', () => {
    void (async () => {
      try {
        await sub.subscribe(`${prefix}${CHANNEL}`)
        let cursor = '0'
        do {
          // SCAN patterns are not prefixed by ioredis: match the whole key and take the prefix off
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}${revokedKey('*')}`, 'COUNT', 1000)
          cursor = next
          for (const key of keys) remember(key.slice(`${prefix}${revokedKey('')}`.length))
        } while (cursor !== '0')
        synced = sub.status === 'ready'
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'revocations not in sync; sessions are checked in Redis')
      }
    })()
  })
  sub
    .connect()
    .catch((err: Error) =>
      log.warn({ err: err.message }, 'revocations subscriber not connected; sessions are checked in Redis'),
    )

  return {
    async revoke(sid) {
      remember(sid)
      await redis
        .multi()
        .set(revokedKey(sid), '1', 'EX', ttlSeconds)
        .publish(`${prefix}${CHANNEL}`, sid)
        .exec()
        .catch(() => undefined)
    },
    isRevoked(sid) {
      if (!synced) return ask(sid)
      const until = mirror.get(sid)
      return until !== undefined && until >= Date.now()
    },
    get synced() {
      return synced
    },
    close() {
      synced = false
      sub.disconnect()
    },
  }
}
