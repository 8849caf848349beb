import { spawn, type ChildProcess } from 'node:child_process'
import { REPO_ROOT } from '../helpers/run'

/**
 * Starts a server script in its own Node process (so the load generator does not share its event loop) and
 * resolves once `readyPath` answers 2xx; keeps the last lines it printed for error messages.
 */
export function startServer(
  script: string,
  vars: Record<string, string>,
  port: number,
  readyPath: string,
  nodeArgs: string[] = [],
): Promise<{ child: ChildProcess; tail: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, script], {
      cwd: `${REPO_ROOT}tests`,
      env: { ...process.env, ...vars, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const tail: string[] = []
    const keep = (d: Buffer) => {
      tail.push(...d.toString().split('\n').filter(Boolean))
      if (tail.length > 40) tail.splice(0, tail.length - 40)
    }
    child.stdout!.on('data', keep)
    child.stderr!.on('data', keep)
    child.on('error', reject)
    child.on('exit', (code) => reject(new Error(`${script} exited ${code}\n${tail.join('\n')}`)))
    const deadline = Date.now() + 30_000
    const poll = async () => {
      try {
        const res = await fetch(`http://127.0.0.1:${port}${readyPath}`)
        if (res.ok) return resolve({ child, tail })
      } catch {}
      if (Date.now() > deadline) return reject(new Error(`${script} did not start\n${tail.join('\n')}`))
      setTimeout(poll, 200)
    }
    void poll()
  })
}
