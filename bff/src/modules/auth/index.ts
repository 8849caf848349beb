// The auth module's public surface.
export { default as authRoutes } from './routes'
