// The owner roster: import (CSV or a property company's webhook) and listing.
export {
  collectRosterUnits,
  parseRosterCsv,
  type RawRosterUnit,
  type Rejection,
  type RosterUnitInput,
  validateRosterUnit,
} from './parse'
export { importRoster, listRoster } from './service'
