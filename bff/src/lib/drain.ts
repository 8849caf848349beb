import type { FastifyInstance } from 'fastify'

/**
 * Background work that drains a MySQL queue (the scheduler's due jobs, the outbox): `step` handles a batch and
 * says how many it handled; a drain runs it until nothing is left, one drain at a time per instance (other
 * instances drain concurrently; SKIP LOCKED keeps them apart).
 */
export interface Drain {
  run(): Promise<number>
  stop(): Promise<void>
}

export function createDrain(step: () => Promise<number>): Drain {
  let running: Promise<number> | null = null
  let stopped = false
  return {
    run() {
      running ??= (async () => {
        let n = 0
        try {
          for (;;) {
            if (stopped) break
            const handled = await step()
            if (handled === 0) break
            n += handled
          }
        } finally {
          running = null
        }
        return n
      })()
      return running
    },
    async stop() {
      stopped = true
      await running
    },
  }
}

/** Polls the drain on the configured interval while background work is enabled; stops with the app. */
export function pollWhileOpen(app: FastifyInstance, drain: Drain, what: string): void {
  if (!app.config.scheduler.enabled) return
  const timer = setInterval(() => {
    drain.run().catch((err) => app.log.warn({ err: (err as Error).message }, `${what} poll failed`))
  }, app.config.scheduler.pollMs)
  timer.unref()
  app.addHook('onClose', async () => {
    clearInterval(timer)
    await drain.stop()
  })
}
