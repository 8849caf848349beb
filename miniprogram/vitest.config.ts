import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))

/**
 * Component and client tests for the mini-program, in happy-dom (see shared/docs/toolchain.md):
 * @tarojs/components → the plain-React H5 components, @tarojs/taro → a shim over @tarojs/taro-h5.
 * Referenced from the root vitest.config.ts as a project; runnable alone with `vitest run -c miniprogram/vitest.config.ts`.
 */
export default defineConfig({
  root: here('.'),
  // taro-h5 ships source maps without sources; vite would warn once per file
  logLevel: 'error',
  resolve: {
    alias: [
      { find: /^@tarojs\/components$/, replacement: '@tarojs/components-react' },
      { find: /^@tarojs\/taro$/, replacement: here('./test/shims/taro.ts') },
    ],
  },
  define: {
    DEPRECATED_ADAPTER_COMPONENT: 'false',
    // build-time flags of @tarojs/runtime (the values Taro's runner uses by default)
    ENABLE_INNER_HTML: 'true',
    ENABLE_ADJACENT_HTML: 'false',
    ENABLE_SIZE_APIS: 'false',
    ENABLE_TEMPLATE_CONTENT: 'false',
    ENABLE_CLONE_NODE: 'false',
    ENABLE_CONTAINS: 'false',
    ENABLE_MUTATION_OBSERVER: 'false',
    'process.env.TARO_ENV': JSON.stringify('h5'),
    'process.env.TARO_APP_DEMO': JSON.stringify('0'),
  },
  test: {
    name: 'miniprogram',
    environment: 'happy-dom',
    include: ['test/**/*.test.{ts,tsx}'],
  },
})
