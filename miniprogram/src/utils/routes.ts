import Taro from '@tarojs/taro'

/** Every page path in one place. Tab pages are opened with switchTab, the rest with navigateTo. */
export const routes = {
  home: '/pages/home/index',
  deliberation: '/pages/deliberation/index',
  services: '/pages/services/index',
  me: '/pages/me/index',
  login: '/packages/account/pages/login/index',
  bindHousehold: '/packages/account/pages/bind-household/index',
  households: '/packages/account/pages/households/index',
  phone: '/packages/account/pages/phone/index',
  settings: '/packages/account/pages/settings/index',
  profile: '/packages/account/pages/profile/index',
  verifications: '/packages/committee/pages/verifications/index',
  roles: '/packages/committee/pages/roles/index',
  voteList: '/packages/voting/pages/list/index',
  voteDetail: '/packages/voting/pages/detail/index',
  voteResults: '/packages/voting/pages/results/index',
  voteManage: '/packages/voting/pages/manage/index',
  srFile: '/packages/services/pages/file/index',
  srMine: '/packages/services/pages/mine/index',
  srDetail: '/packages/services/pages/detail/index',
  srBoard: '/packages/services/pages/board/index',
  srFigures: '/packages/services/pages/figures/index',
  srHandle: '/packages/services/pages/handle/index',
  messages: '/packages/messages/pages/list/index',
} as const

/** A page path with its query (numbers and strings only; empty values left out). */
export function withQuery(path: string, query: Record<string, string | number | undefined | null>): string {
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
  return parts.length ? `${path}?${parts.join('&')}` : path
}

export type TabRoute = typeof routes.home | typeof routes.deliberation | typeof routes.services | typeof routes.me

const TABS: readonly string[] = [routes.home, routes.deliberation, routes.services, routes.me]

export function open(url: string): void {
  const path = url.split('?')[0] ?? url
  if (TABS.includes(path)) void Taro.switchTab({ url: path })
  else void Taro.navigateTo({ url })
}

/** Back to the previous page, or to the home tab when this page was opened directly. */
export function backOrHome(): void {
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack()
  else void Taro.switchTab({ url: routes.home })
}
