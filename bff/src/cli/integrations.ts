import { loadConfig } from '../config'
import { cliArgs } from './args'
import { createDb } from '../db/client'
import { DataProtector } from '../lib/crypto'
import { AppError } from '../errors'
import { DEFAULT_GRACE_HOURS, integrationService } from '../modules/webhooks/service'

// Property-company integrations (Standard Webhooks), see docs/property-integration.md:
//   integrations create --company <id> --community <id>[,<id>…] [--url https://…] [--events a,b] [--name …]
//   integrations list [--company <id>]
//   integrations rotate --integration <id> [--grace-hours 24]
//   integrations revoke --integration <id>
//   integrations set-url --integration <id> --url https://…     (also re-enables after a 410)
//   integrations set-events --integration <id> --events service_request.created,…
//   integrations enable|disable --integration <id>
//   integrations redeliver --integration <id> (--message <msg id> | --dead)
//   integrations attempts --integration <id> [--message <msg id>]
// A secret is printed once, by create and rotate, and never logged or shown again.
const USAGE =
  'usage: integrations create|list|rotate|revoke|set-url|set-events|enable|disable|redeliver|attempts [options] (see docs/property-integration.md)'
const { values, positionals } = cliArgs(
  {
    company: { type: 'string' },
    community: { type: 'string' },
    url: { type: 'string' },
    events: { type: 'string' },
    name: { type: 'string' },
    integration: { type: 'string' },
    'grace-hours': { type: 'string' },
    message: { type: 'string' },
    dead: { type: 'boolean' },
  },
  USAGE,
)
const [command] = positionals
const ids = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
const posInt = (s: string | undefined, what: string) => {
  const n = Number(s)
  if (!Number.isInteger(n) || n < 1) throw new AppError('VALIDATION_FAILED', `${what} must be a positive integer`)
  return n
}
const need = (v: string | undefined, flag: string) => {
  if (!v) throw new AppError('VALIDATION_FAILED', `--${flag} is required`)
  return v
}

const config = loadConfig()
const { db, pool } = createDb(config.databaseUrl, 2)
const integrations = integrationService({ db, protector: new DataProtector(config.dataKey), config })
try {
  switch (command) {
    case 'create': {
      const { id, secret } = await integrations.create({
        propertyCompanyId: posInt(values.company, '--company'),
        communityIds: ids(need(values.community, 'community')).map((c) => posInt(c, '--community')),
        url: values.url ?? null,
        eventTypes: ids(values.events),
        name: values.name,
      })
      console.log(`[linli] integration ${id} created`)
      console.log(`  inbound URL: POST /webhooks/property/${id}`)
      console.log(`  secret (shown once, store it now): ${secret}`)
      break
    }
    case 'list': {
      const rows = await integrations.list(
        values.company ? { propertyCompanyId: posInt(values.company, '--company') } : {},
      )
      if (rows.length === 0) console.log('[linli] no integrations')
      for (const r of rows) {
        console.log(
          `${r.id}  ${r.status}${r.statusReason ? ` (${r.statusReason})` : ''}  ${r.propertyCompanyName} [${r.propertyCompanyId}]  communities ${r.communityIds.join(',')}`,
        )
        console.log(
          `    url ${r.url ?? '(none)'}  events ${r.eventTypes.join(',') || '(none)'}${r.previousSecretValidUntil ? `  previous secret valid until ${r.previousSecretValidUntil.toISOString()}` : ''}`,
        )
      }
      break
    }
    case 'rotate': {
      const grace = values['grace-hours'] === undefined ? DEFAULT_GRACE_HOURS : Number(values['grace-hours'])
      const { secret, previousValidUntil } = await integrations.rotate(need(values.integration, 'integration'), {
        graceHours: grace,
      })
      console.log(`[linli] new secret (shown once, store it now): ${secret}`)
      console.log(
        `  the previous secret still verifies, and is sent as a second signature, until ${previousValidUntil.toISOString()}`,
      )
      break
    }
    case 'revoke':
      await integrations.revoke(need(values.integration, 'integration'))
      console.log(`[linli] integration ${values.integration} revoked`)
      break
    case 'set-url':
      console.log(
        `[linli] URL set: ${await integrations.setUrl(need(values.integration, 'integration'), need(values.url, 'url'))}`,
      )
      break
    case 'set-events':
      console.log(
        `[linli] events: ${(await integrations.setEvents(need(values.integration, 'integration'), ids(values.events))).join(', ') || '(none)'}`,
      )
      break
    case 'enable':
    case 'disable':
      await integrations.setEnabled(need(values.integration, 'integration'), command === 'enable')
      console.log(`[linli] integration ${values.integration} ${command}d`)
      break
    case 'redeliver': {
      const n = await integrations.redeliver(
        need(values.integration, 'integration'),
        values.message ? { messageId: values.message } : { dead: values.dead ?? false },
      )
      console.log(`[linli] ${n} message(s) queued for redelivery`)
      break
    }
    case 'attempts': {
      const rows = await integrations.attempts(need(values.integration, 'integration'), { messageId: values.message })
      for (const a of rows)
        console.log(
          `${a.createdAt.toISOString()}  ${a.messageId}  #${a.attempt}  ${a.outcome}  ${a.statusCode ?? '-'}  ${a.durationMs} ms${a.error ? `  ${a.error}` : ''}`,
        )
      break
    }
    default:
      console.error(USAGE)
      process.exitCode = 64
  }
} catch (err) {
  console.error(`[linli] ${err instanceof AppError ? `${err.code}: ` : ''}${(err as Error).message}`)
  process.exitCode = 1
} finally {
  await pool.end()
}
