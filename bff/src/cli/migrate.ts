import { loadConfig } from '../config'
import { runMigrations } from '../db/migrate'

const config = loadConfig()
await runMigrations(config.databaseUrl)
console.log('[linli] migrations applied')
