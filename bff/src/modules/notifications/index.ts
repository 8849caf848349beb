// The one notification adapter: subscribe messages through the outbox, and the in-app inbox beside them.
export { default as notificationRoutes } from './routes'
export {
  messageTime,
  type Notification,
  notificationService,
  registerNotificationDelivery,
  SUBSCRIBE_TOPIC,
} from './service'
