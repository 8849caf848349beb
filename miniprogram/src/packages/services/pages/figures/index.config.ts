export default definePageConfig({ navigationBarTitleText: '服务评价', enablePullDownRefresh: true })
