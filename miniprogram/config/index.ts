import path from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import devConfig from './dev'
import prodConfig from './prod'

/**
 * Build-time settings (inlined as process.env.*):
 * - TARO_APP_API_BASE: origin of the BFF. Empty = same origin (the demo serves the H5 build from the BFF).
 *   The weapp build needs an absolute https origin; it defaults to the documented production one.
 * - TARO_APP_DEMO: '1' turns on the demo login (H5 only). Any other value makes the demo code dead code.
 * Values come from the shell environment first, then .env.<mode> files.
 */
const WEAPP_DEFAULT_API_BASE = 'https://api.linli.example'

export default defineConfig<'webpack5'>(async (merge) => {
  const platform = process.env.TARO_ENV ?? 'weapp'
  const apiBase = process.env.TARO_APP_API_BASE ?? (platform === 'weapp' ? WEAPP_DEFAULT_API_BASE : '')
  const demo = process.env.TARO_APP_DEMO === '1' ? '1' : '0'
  // Raw TypeScript from the workspace package; Taro only compiles src/ unless told otherwise.
  const sharedSrc = path.resolve(__dirname, '../../shared/src')

  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'linli-miniprogram',
    date: '2026-11-22',
    // 375 design width: 1px in scss = 1 CSS px on a 375-wide phone (2rpx in weapp).
    designWidth: 375,
    deviceRatio: {
      375: 2,
      640: 2.34 / 2,
      750: 1,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    outputRoot: `dist/${platform}`,
    plugins: [],
    defineConstants: {},
    env: {
      TARO_APP_API_BASE: JSON.stringify(apiBase),
      TARO_APP_DEMO: JSON.stringify(demo),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      compile: { include: [sharedSrc] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
    },
    h5: {
      publicPath: './',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      // Plain HTML elements (input, button) instead of web components: simpler DOM for the e2e test.
      useHtmlComponents: true,
      compile: { include: [sharedSrc] },
      output: {
        filename: 'js/[name].[hash:8].js',
        chunkFilename: 'js/[name].[chunkhash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[hash].css',
        chunkFilename: 'css/[name].[chunkhash].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
    },
  }

  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig)
  }
  return merge({}, baseConfig, prodConfig)
})
