import { resolve } from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'

/**
 * `pnpm --filter @linli/bff <script> -- --flag value` hands the script a literal `--` first, which parseArgs
 * would take as the end of options; and pnpm runs scripts in bff/, so relative paths are resolved against the
 * directory the command was typed in (INIT_CWD).
 */
export function cliArgs<O extends NonNullable<ParseArgsConfig['options']>>(options: O, usage: string) {
  const argv = process.argv.slice(2)
  if (argv[0] === '--') argv.shift()
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage)
    process.exit(0)
  }
  try {
    return parseArgs({ args: argv, options, allowPositionals: true })
  } catch (err) {
    // an unknown or malformed option: say so and how to call it, without a stack trace
    console.error(`${(err as Error).message.split('.')[0]}\n${usage}`)
    process.exit(64)
  }
}

export const callerPath = (p: string) => resolve(process.env.INIT_CWD ?? process.cwd(), p)
