// The households module's public surface.
export { countPendingApplications, listMembershipsOfPerson } from './repository'
export { default as householdRoutes } from './routes'
export { verifyPendingByRoster } from './service'
