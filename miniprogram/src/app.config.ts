export default defineAppConfig({
  // main package: only the four tabs
  pages: ['pages/home/index', 'pages/deliberation/index', 'pages/services/index', 'pages/me/index'],
  // one subpackage per domain
  subPackages: [
    {
      root: 'packages/account',
      pages: [
        'pages/login/index',
        'pages/bind-household/index',
        'pages/households/index',
        'pages/phone/index',
        'pages/settings/index',
        'pages/profile/index',
      ],
    },
    {
      root: 'packages/committee',
      pages: ['pages/verifications/index', 'pages/roles/index'],
    },
    {
      root: 'packages/voting',
      pages: ['pages/list/index', 'pages/detail/index', 'pages/results/index', 'pages/manage/index'],
    },
    {
      root: 'packages/services',
      pages: [
        'pages/file/index',
        'pages/mine/index',
        'pages/detail/index',
        'pages/board/index',
        'pages/figures/index',
        'pages/handle/index',
      ],
    },
    {
      root: 'packages/messages',
      pages: ['pages/list/index'],
    },
  ],
  preloadRule: {
    'pages/home/index': { network: 'all', packages: ['packages/account'] },
    'pages/me/index': { network: 'all', packages: ['packages/messages'] },
    'pages/deliberation/index': { network: 'all', packages: ['packages/voting'] },
    'pages/services/index': { network: 'all', packages: ['packages/services'] },
  },
  window: {
    backgroundTextStyle: 'light',
    backgroundColor: '#f4f5f7',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '邻里',
    navigationBarTextStyle: 'black',
  },
  tabBar: {
    color: '#5c6370',
    selectedColor: '#1a5fb4',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      {
        pagePath: 'pages/home/index',
        text: '首页',
        iconPath: 'assets/tabbar/home.png',
        selectedIconPath: 'assets/tabbar/home-active.png',
      },
      {
        pagePath: 'pages/deliberation/index',
        text: '议事',
        iconPath: 'assets/tabbar/deliberation.png',
        selectedIconPath: 'assets/tabbar/deliberation-active.png',
      },
      {
        pagePath: 'pages/services/index',
        text: '服务',
        iconPath: 'assets/tabbar/services.png',
        selectedIconPath: 'assets/tabbar/services-active.png',
      },
      {
        pagePath: 'pages/me/index',
        text: '我的',
        iconPath: 'assets/tabbar/me.png',
        selectedIconPath: 'assets/tabbar/me-active.png',
      },
    ],
  },
  lazyCodeLoading: 'requiredComponents',
})
