import { resolve } from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'

/**
 * `pnpm --filter @linli/bff <script> -- --flag value` hands the script a literal `--` first, which parseArgs
 * would take as the end of options; and pnpm runs scripts in bff/, so relative paths are resolved against the
 * directory the command was typed in (INIT_CWD).
 */
export function cliArgs<O extends NonNullable<ParseArgsConfig['options']>>(options: O) {
  const argv = process.argv.slice(2)
  if (argv[0] === '--') argv.shift()
  return parseArgs({ args: argv, options, allowPositionals: true })
}

export const callerPath = (p: string) => resolve(process.env.INIT_CWD ?? process.cwd(), p)
