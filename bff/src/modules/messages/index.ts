// The messages (inbox) module's public surface.
export { default as messageRoutes } from './routes'
export { INBOX_RETENTION_DAYS, registerInbox } from './service'
