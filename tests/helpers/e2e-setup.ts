import { afterEach } from 'vitest'
import { PhoneBrowser } from './browser'

// Every end-to-end test fails on an uncaught error in the page it drove, even where it asserted nothing about
// it: a page can look right in one step and be broken for the next.
afterEach(() => {
  for (const phone of PhoneBrowser.open_) phone.takeErrors()
})
