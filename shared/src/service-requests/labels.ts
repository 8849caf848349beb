import type { AttributeDef, AttributeType } from './attributes'
import type { SrAction, SrActorKind, SrEscalation, SrHandler, SrLocationKind, SrStatus, SrUrgency } from './rules'

/** What residents read. */
export const srStatusLabels: Record<SrStatus, string> = {
  submitted: '已提交',
  accepted: '已受理',
  assigned: '已派单',
  in_progress: '处理中',
  resolved: '已解决待确认',
  closed: '已完结',
  reopened: '已重新打开',
  rejected: '不予受理',
  duplicate: '重复报事',
  cancelled: '已撤销',
}

export const srActionLabels: Record<SrAction | 'file' | 'urge' | 'escalate', string> = {
  file: '提交报事',
  accept: '受理',
  assign: '派单',
  start: '开始处理',
  resolve: '处理完成',
  reject: '不予受理',
  duplicate: '标记为重复',
  cancel: '撤销',
  confirm: '确认并评价',
  reopen: '未解决，重新打开',
  auto_close: '超期未确认，自动完结',
  urge: '催办',
  escalate: '超时升级',
}

export const srActorLabels: Record<SrActorKind, string> = {
  resident: '居民',
  property: '物业',
  committee: '业委会/社区',
  system: '系统',
}

export const srHandlerLabels: Record<SrHandler, string> = {
  property: '物业服务企业',
  committee: '业委会/社区',
}

export const srUrgencyLabels: Record<SrUrgency, string> = {
  low: '一般',
  normal: '普通',
  high: '较急',
  urgent: '紧急',
}

export const srLocationLabels: Record<SrLocationKind, string> = {
  unit: '户内',
  building: '楼栋公共部位',
  public: '小区公共区域',
}

export const srEscalationLabels: Record<SrEscalation, string> = {
  accept_overdue: '超时未受理',
  resolve_overdue: '超时未解决',
}

export const attributeTypeLabels: Record<AttributeType, string> = {
  text: '文字',
  number: '数字',
  single_choice: '单选',
  multi_choice: '多选',
}

/** The categories a community starts with (behaviour as data): who handles them, urgency, SLA, extra questions. */
export interface DefaultCategory {
  name: string
  handler: SrHandler
  urgency: SrUrgency
  acceptMinutes: number
  resolveMinutes: number
  attributes: AttributeDef[]
}

export const DEFAULT_CATEGORIES: readonly DefaultCategory[] = [
  {
    name: '公共维修',
    handler: 'property',
    urgency: 'normal',
    acceptMinutes: 30,
    resolveMinutes: 24 * 60,
    attributes: [
      {
        code: 'facility',
        label: '设施类型',
        type: 'single_choice',
        required: true,
        options: [
          { key: 'elevator', label: '电梯' },
          { key: 'lighting', label: '照明' },
          { key: 'door', label: '门禁/单元门' },
          { key: 'water', label: '给排水' },
          { key: 'other', label: '其他' },
        ],
      },
    ],
  },
  {
    name: '户内维修',
    handler: 'property',
    urgency: 'normal',
    acceptMinutes: 60,
    resolveMinutes: 48 * 60,
    attributes: [
      {
        code: 'part',
        label: '维修部位',
        type: 'multi_choice',
        required: true,
        options: [
          { key: 'water', label: '水路' },
          { key: 'power', label: '电路' },
          { key: 'window', label: '门窗' },
          { key: 'wall', label: '墙面/渗漏' },
          { key: 'other', label: '其他' },
        ],
      },
      {
        code: 'home',
        label: '上门时家中是否有人',
        type: 'single_choice',
        required: false,
        options: [
          { key: 'yes', label: '有人' },
          { key: 'no', label: '无人，需预约' },
        ],
      },
    ],
  },
  {
    name: '环境卫生',
    handler: 'property',
    urgency: 'normal',
    acceptMinutes: 60,
    resolveMinutes: 12 * 60,
    attributes: [],
  },
  {
    name: '安全隐患',
    handler: 'property',
    urgency: 'urgent',
    acceptMinutes: 15,
    resolveMinutes: 4 * 60,
    attributes: [
      {
        code: 'people_at_risk',
        label: '是否有人员受困或受伤',
        type: 'single_choice',
        required: true,
        options: [
          { key: 'yes', label: '是' },
          { key: 'no', label: '否' },
        ],
      },
    ],
  },
  {
    name: '投诉',
    handler: 'committee',
    urgency: 'normal',
    acceptMinutes: 24 * 60,
    resolveMinutes: 7 * 24 * 60,
    attributes: [
      {
        code: 'about',
        label: '投诉对象',
        type: 'single_choice',
        required: true,
        options: [
          { key: 'property', label: '物业服务' },
          { key: 'neighbour', label: '邻里问题' },
          { key: 'other', label: '其他' },
        ],
      },
    ],
  },
  {
    name: '建议',
    handler: 'committee',
    urgency: 'low',
    acceptMinutes: 3 * 24 * 60,
    resolveMinutes: 14 * 24 * 60,
    attributes: [],
  },
]
