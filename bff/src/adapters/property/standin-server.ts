import { createPropertyStandin } from './standin'

// `pnpm --filter @linli/bff property-standin`: the property company's system for the local demo.
//   PROPERTY_STANDIN_PORT            default 3200
//   PROPERTY_STANDIN_BFF             the BFF, default http://127.0.0.1:3000
//   PROPERTY_STANDIN_INTEGRATION_ID  the integration it plays (the demo seed creates int_demo_property)
//   PROPERTY_STANDIN_SECRET          that integration's whsec_ secret (the demo seed's fixed development secret)
const port = Number(process.env.PROPERTY_STANDIN_PORT ?? 3200)
const bffBaseUrl = process.env.PROPERTY_STANDIN_BFF ?? 'http://127.0.0.1:3000'
const integrationId = process.env.PROPERTY_STANDIN_INTEGRATION_ID
const secret = process.env.PROPERTY_STANDIN_SECRET
if (!integrationId || !secret) {
  console.error(
    '[property-standin] PROPERTY_STANDIN_INTEGRATION_ID and PROPERTY_STANDIN_SECRET are required (see docs/property-integration.md)',
  )
  process.exit(64)
}
const server = createPropertyStandin({ bffBaseUrl, integrationId, secret })
server.listen(port, '127.0.0.1', () => {
  console.log(
    `[property-standin] listening on http://127.0.0.1:${port} (integration ${integrationId}, BFF ${bffBaseUrl})`,
  )
})
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => server.close(() => process.exit(0)))
