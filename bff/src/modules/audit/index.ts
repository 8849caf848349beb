// The audit module's public surface: the one hash-chained audit log every feature appends to.
export {
  type AuditInput,
  appendAudit,
  appendAuditOnceLocked,
  communityStream,
  GENESIS_HASH,
  type StreamVerification,
  verifyStream,
} from './service'
