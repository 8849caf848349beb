export default definePageConfig({ navigationBarTitleText: '管理角色', enablePullDownRefresh: true })
