/**
 * Demo accounts of the seeded community (阳光花园). Used by the seed and, in demo builds only, by the H5
 * login page, which logs in through the local WeChat stand-in. Never referenced by production code paths.
 */
export interface DemoPersona {
  openid: string
  displayName: string
  role: string
  /** what to try with this account */
  hint: string
  phone?: string
}

export const demoPersonas: readonly DemoPersona[] = [
  {
    openid: 'demo-resident-li',
    displayName: '李明',
    role: '新住户',
    hint: '绑定房屋后等待业委会审核',
  },
  {
    openid: 'demo-owner-wang',
    displayName: '王秀英',
    role: '业主（名册在册）',
    hint: '授权手机号 13800000001 后绑定 1栋-101，自动认证',
    phone: '13800000001',
  },
  {
    openid: 'demo-owner-liu',
    displayName: '刘芳',
    role: '业主（已认证）',
    hint: '1栋-102 的业主，可参加业主大会表决',
    phone: '13800000002',
  },
  {
    openid: 'demo-owner-zhou',
    displayName: '周强',
    role: '业主（已认证）',
    hint: '1栋-103 的业主，可参加业主大会表决',
    phone: '13800000003',
  },
  {
    openid: 'demo-committee-chen',
    displayName: '陈建国',
    role: '业委会委员',
    hint: '审核住户的房屋绑定申请',
  },
  {
    openid: 'demo-worker-zhao',
    displayName: '赵敏',
    role: '社区工作者',
    hint: '审核申请、管理角色',
  },
]
