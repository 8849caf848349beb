/**
 * Stable, machine-readable error codes. The BFF answers every failure as
 * `{ error: { code, message, details? } }`; clients branch on `code`, never on `message`.
 * Plain data (no TypeBox here) so the mini-program can import it without pulling in a validator.
 */
export const ErrorCodes = {
  VALIDATION_FAILED: { status: 400, zh: '提交的内容有误，请检查后重试' },
  BAD_REQUEST: { status: 400, zh: '请求格式不正确' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录' },
  TOKEN_EXPIRED: { status: 401, zh: '登录已过期，请重新登录' },
  TOKEN_INVALID: { status: 401, zh: '登录状态无效，请重新登录' },
  REFRESH_TOKEN_INVALID: { status: 401, zh: '登录已失效，请重新登录' },
  REFRESH_TOKEN_REUSED: { status: 401, zh: '检测到登录凭证被重复使用，已为您退出所有设备，请重新登录' },
  FORBIDDEN: { status: 403, zh: '您没有权限进行此操作' },
  NOT_FOUND: { status: 404, zh: '内容不存在或已删除' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在' },
  CONFLICT: { status: 409, zh: '操作与当前状态冲突，请刷新后重试' },
  INVALID_TRANSITION: { status: 409, zh: '当前状态下不能进行此操作' },
  MEMBERSHIP_EXISTS: { status: 409, zh: '您已申请或已绑定该房屋' },
  ROLE_NOT_ELIGIBLE: { status: 409, zh: '业委会委员须由本小区已认证的业主担任' },
  VOTE_NOT_OPEN: { status: 409, zh: '表决尚未开始或已经截止' },
  BALLOT_ALREADY_CAST: { status: 409, zh: '您已提交过选票，本次表决提交后不可修改' },
  EARLY_CLOSE_NOT_ALLOWED: { status: 409, zh: '本小区的议事规则不允许提前结束表决' },
  PROXY_ACTIVE: { status: 409, zh: '您已委托他人代为表决，如需亲自投票请先撤回委托' },
  SHORT_NOTICE_UNCONFIRMED: { status: 422, zh: '公告距开始投票不足法定的 15 天，须确认并说明原因后才能发布' },
  VOTE_WINDOW_PASSED: { status: 409, zh: '投票截止时间已过，请先修改表决时间' },
  RECEIPT_MALFORMED: { status: 400, zh: '回执码是 8 位字母和数字（数字 0–9、字母 A–F），请核对后重新输入' },
  URGE_TOO_SOON: { status: 429, zh: '催办太频繁，请稍后再试' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, zh: '重复提交的内容与首次不一致，请刷新后重试' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '提交的内容过大' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容格式' },
  RATE_LIMITED: { status: 429, zh: '操作太频繁，请稍后再试' },
  WECHAT_CODE_INVALID: { status: 400, zh: '微信登录凭证无效或已过期，请重试' },
  WECHAT_PHONE_CODE_INVALID: { status: 400, zh: '手机号授权已失效，请重新授权' },
  WECHAT_RATE_LIMITED: { status: 429, zh: '微信登录太频繁，请稍后再试' },
  WECHAT_USER_BLOCKED: { status: 403, zh: '该微信账号存在风险，暂不能登录' },
  WECHAT_UNAVAILABLE: { status: 503, zh: '微信服务暂时不可用，请稍后再试' },
  WEBHOOK_SIGNATURE_INVALID: { status: 401, zh: '回调签名校验失败' },
  WEBHOOK_TIMESTAMP_OUT_OF_RANGE: { status: 401, zh: '回调时间戳与当前时间相差超过 5 分钟' },
  WEBHOOK_UNKNOWN_INTEGRATION: { status: 404, zh: '对接配置不存在' },
  WEBHOOK_EVENT_UNSUPPORTED: { status: 400, zh: '暂不支持该回调事件类型' },
  WEBHOOK_URL_REFUSED: { status: 400, zh: '回调地址不可用：须为 https，且不能指向内网或本机地址' },
  SERVICE_UNAVAILABLE: { status: 503, zh: '服务暂时不可用，请稍后再试' },
  INTERNAL: { status: 500, zh: '系统开小差了，请稍后再试' },
} as const satisfies Record<string, { status: number; zh: string }>

export type ErrorCode = keyof typeof ErrorCodes

export interface ErrorBody {
  error: {
    code: ErrorCode
    message: string
    details?: unknown
  }
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ErrorCodes, code)
}

/** The message a resident reads for a code; unknown codes fall back to a generic one. */
export function errorMessageZh(code: unknown): string {
  return isErrorCode(code) ? ErrorCodes[code].zh : ErrorCodes.INTERNAL.zh
}
