/**
 * @tarojs/taro for tests: the H5 implementation. Its default export lacks `request`, so the default here is a
 * plain (mutable) object with every named API, which tests may also stub (e.g. getAppBaseInfo).
 */
import * as TaroH5 from '@tarojs/taro-h5'

export * from '@tarojs/taro-h5'

const Taro: Record<string, unknown> & typeof TaroH5 = { ...TaroH5 }
export default Taro
