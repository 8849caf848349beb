export default definePageConfig({ navigationBarTitleText: '表决详情', enablePullDownRefresh: true })
