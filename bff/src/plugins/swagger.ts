import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'

export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Linli 邻里 BFF',
          version: '0.1.0',
          description:
            'API of the Linli mini-program. Every failure answers `{ "error": { "code", "message", "details"? } }`; branch on `code`.',
        },
        components: {
          securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        },
        tags: [
          { name: 'auth', description: 'WeChat login, token refresh, logout' },
          { name: 'me', description: 'The signed-in person' },
          {
            name: 'messages',
            description: 'My messages (消息, kept whether or not WeChat delivered them) and what waits for me (待办)',
          },
          { name: 'communities', description: 'Communities, buildings, units, roster, roles' },
          { name: 'households', description: 'Binding to a unit and its verification' },
          { name: 'voting', description: "Owners' assembly e-voting (业主大会电子表决)" },
          { name: 'service-requests', description: 'Service requests (报事报修): filing, lifecycle, urging, figures' },
          { name: 'webhooks', description: 'Property companies: signed webhooks in and out' },
          { name: 'notices', description: 'Notices to residents (from the property company)' },
          { name: 'system', description: 'Health and readiness' },
        ],
      },
    })
    await app.register(swaggerUi, { routePrefix: '/docs' })
  },
  { name: 'swagger' },
)
