// Health and readiness.
export { default as systemRoutes } from './routes'
