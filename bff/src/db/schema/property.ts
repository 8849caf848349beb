import { date, index, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { createdAt, id, ref, updatedAt } from './columns'
import { communities } from './communities'

/** 物业服务企业 */
export const propertyCompanies = mysqlTable(
  'property_companies',
  {
    id: id(),
    name: varchar('name', { length: 100 }).notNull(),
    /** 统一社会信用代码 */
    creditCode: varchar('credit_code', { length: 18 }).notNull(),
    contactName: varchar('contact_name', { length: 32 }).notNull().default(''),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('property_companies_credit_code').on(t.creditCode)],
)

/** Which company serves which community, and when (选聘 / 解聘 are owners' decisions, so history is kept). */
export const communityPropertyContracts = mysqlTable(
  'property_contracts',
  {
    id: id(),
    communityId: ref('community_id')
      .notNull()
      .references(() => communities.id),
    propertyCompanyId: ref('property_company_id')
      .notNull()
      .references(() => propertyCompanies.id),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('property_contracts_community').on(t.communityId),
    index('property_contracts_company').on(t.propertyCompanyId),
  ],
)
