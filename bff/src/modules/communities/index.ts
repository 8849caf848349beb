// The communities module's public surface.
export { default as communityRoutes } from './routes'
