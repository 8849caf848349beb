import { datetime, int } from 'drizzle-orm/mysql-core'
import { sql } from 'drizzle-orm'

/** Unsigned auto-increment primary key; ids are numbers in JSON. */
export const id = () => int('id', { unsigned: true }).autoincrement().primaryKey()
export const ref = (name: string) => int(name, { unsigned: true })

/** Millisecond UTC timestamps; the pool runs with timezone 'Z'. */
export const createdAt = () =>
  datetime('created_at', { mode: 'date', fsp: 3 }).notNull().default(sql`CURRENT_TIMESTAMP(3)`)
export const updatedAt = () =>
  datetime('updated_at', { mode: 'date', fsp: 3 })
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`)
    .$onUpdate(() => new Date())
export const timestamp = (name: string) => datetime(name, { mode: 'date', fsp: 3 })
