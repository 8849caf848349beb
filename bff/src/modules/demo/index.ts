// The demo module's public surface (registered only in demo mode).
export { default as demoRoutes } from './routes'
