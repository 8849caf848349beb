import { loadConfig } from '../../config'
import { createWechatStandin } from './standin'

// `pnpm --filter @linli/bff wechat-standin`: the local WeChat for the demo (uses the BFF's appid/secret).
const config = loadConfig()
const port = Number(process.env.WECHAT_STANDIN_PORT ?? 3100)
const server = createWechatStandin({ appid: config.wechat.appid, secret: config.wechat.secret })
server.listen(port, '127.0.0.1', () => {
  console.log(`[wechat-standin] listening on http://127.0.0.1:${port} (appid ${config.wechat.appid})`)
})
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => server.close(() => process.exit(0)))
