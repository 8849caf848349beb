/** What other modules use: the seam (types) and its two functions. */
export type * from './contract'
export { emitPropertyEvent, registerInboundHandler } from './service'
