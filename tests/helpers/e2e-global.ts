import { buildDemoH5 } from './h5'

/** The e2e files share one demo H5 build, made by the same script as README's first command. */
export default async function setup() {
  await buildDemoH5()
}
