/**
 * Preloaded into a benchmarked server (`--import ./bench/cpu-profile.ts`) when BENCH_CPU_PROF=<dir> is set: the
 * first SIGUSR1 starts a V8 CPU profile, the next one writes it to <dir>, so a profile covers the measured run
 * only (not start-up, module loading and schema compilation, which `node --cpu-prof` would mix in).
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'

const dir = process.env.BENCH_CPU_PROF
if (dir) {
  const session = new Session()
  session.connect()
  let running = false
  let n = 0
  process.on('SIGUSR1', () => {
    void (async () => {
      if (!running) {
        await session.post('Profiler.enable')
        await session.post('Profiler.setSamplingInterval', { interval: 100 })
        await session.post('Profiler.start')
        running = true
        return
      }
      const { profile } = await session.post('Profiler.stop')
      running = false
      writeFileSync(`${dir}/run-${process.pid}-${++n}.cpuprofile`, JSON.stringify(profile))
    })()
  })
}
