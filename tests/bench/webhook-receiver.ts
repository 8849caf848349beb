/**
 * The outbound benchmark's receiver (bench/webhooks.ts), in its own process: node:http on 127.0.0.1 that answers
 * every POST with 204 and records when each webhook-id arrived (Date.now(), the same wall clock as the bench
 * process). It verifies NOTHING on the hot path (no HMAC): what is measured is the sender; the bench checks
 * afterwards that every message arrived and, on a sample, that our signatures verify.
 *
 *   POST /hook      record (webhook-id, arrival ms, headers + body of the first few), 204
 *   GET  /stats     { count, distinct, arrivals: [[id, ms], …], samples: [{ headers, body }] }
 *   POST /reset     forget everything
 */
import { createServer } from 'node:http'

let arrivals: [string, number][] = []
let samples: { headers: Record<string, string>; body: string }[] = []
const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/hook') {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const id = String(req.headers['webhook-id'] ?? '')
      arrivals.push([id, Date.now()])
      if (samples.length < 5) {
        samples.push({
          headers: {
            'webhook-id': id,
            'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
            'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
          },
          body: Buffer.concat(chunks).toString('utf8'),
        })
      }
      res.statusCode = 204
      res.end()
    })
    return
  }
  if (req.method === 'GET' && req.url === '/stats') {
    res.setHeader('content-type', 'application/json')
    return res.end(
      JSON.stringify({ count: arrivals.length, distinct: new Set(arrivals.map((a) => a[0])).size, arrivals, samples }),
    )
  }
  if (req.method === 'POST' && req.url === '/reset') {
    arrivals = []
    samples = []
    res.statusCode = 204
    return res.end()
  }
  if (req.method === 'GET' && req.url === '/ready') return res.end('ok')
  res.statusCode = 404
  res.end()
})
server.keepAliveTimeout = 30_000
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'))
