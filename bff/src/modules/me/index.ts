// The me module's public surface.
export { default as meRoutes } from './routes'
export { meService } from './service'
