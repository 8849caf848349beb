import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'

/**
 * A property company's webhook receiver on 127.0.0.1: a real HTTP server that verifies our outbound
 * messages with the reference `standardwebhooks` library (not our code). It can be told to answer an error
 * status (500, 410, 429 + Retry-After…) or be shut down and brought back on the same port.
 */
export interface ReceivedWebhook {
  id: string
  timestamp: string
  signature: string
  body: string
  payload: { type: string; timestamp: string; data: Record<string, unknown> & { sequence?: number } }
}

export interface Reply {
  status: number
  headers?: Record<string, string>
  body?: string
}

export interface PropertyReceiver {
  url: string
  /** verified messages, in arrival order (retries included) */
  received: ReceivedWebhook[]
  /** requests the library refused, with its reason */
  refused: { headers: IncomingHttpHeaders; reason: string }[]
  /** every request that reached the server */
  hits: number
  /** the secret(s) the receiver verifies with (any one may match) */
  secrets: string[]
  /** answer every request with this (after verifying); null = 204 */
  reply: Reply | null
  /** answer the next n requests with `reply`, then go back to 204 */
  replyTimes(reply: Reply, n: number): void
  down(): Promise<void>
  up(): Promise<void>
  close(): Promise<void>
}

export async function startPropertyReceiver(secret: string): Promise<PropertyReceiver> {
  let remaining = Infinity
  const receiver: PropertyReceiver = {
    url: '',
    received: [],
    refused: [],
    hits: 0,
    secrets: [secret],
    reply: null,
    replyTimes(reply, n) {
      receiver.reply = reply
      remaining = n
    },
    down: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())))
    },
    up: async () => {
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
    },
    close: async () => {
      if (server.listening) await receiver.down()
    },
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      receiver.hits++
      const body = Buffer.concat(chunks).toString('utf8')
      const headers = {
        'webhook-id': String(req.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
      }
      let payload: ReceivedWebhook['payload'] | undefined
      let reason = ''
      for (const s of receiver.secrets) {
        try {
          payload = new Webhook(s).verify(body, headers) as ReceivedWebhook['payload']
          break
        } catch (err) {
          reason = (err as Error).message
        }
      }
      if (!payload) {
        receiver.refused.push({ headers: req.headers, reason })
        res.writeHead(401).end('bad signature')
        return
      }
      const reply = remaining > 0 ? receiver.reply : null
      if (reply && --remaining === 0) receiver.reply = null
      if (!reply || (reply.status >= 200 && reply.status < 300)) {
        receiver.received.push({
          id: headers['webhook-id'],
          timestamp: headers['webhook-timestamp'],
          signature: headers['webhook-signature'],
          body,
          payload,
        })
      }
      if (!reply) {
        res.writeHead(204).end()
        return
      }
      res.writeHead(reply.status, reply.headers ?? {}).end(reply.body ?? '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  receiver.url = `http://127.0.0.1:${port}/hooks/linli`
  return receiver
}
