// What the desktop tells the agent when the API fails or refuses, and the channels' names, in
// Chinese (spread into zh-CN.js; key for key with notices-en.js).
export const ZH_NOTICES = {
  /** The request id a server error asks to quote, shown with it. */
  requestId: (id) => `请求编号 ${id}`,
  /** The fields a refusal names, by the API's field name (its path without body. and indexes). */
  fields: {
    waybills: '运单号',
    waybill: '运单号',
    description: '描述',
    category: '类别',
    severity: '严重程度',
    contactId: '联系人',
    accountId: '客户',
    team: '班组',
    note: '备注',
    notes: '备注',
    score: '评分',
    name: '名称',
    remedy: '补救措施',
    phone: '电话',
    hours: '小时数',
    reason: '理由',
    number: '电话',
  },
  reasonNoScan: '应到节点未扫描',
  liveOffline: (at) => `实时更新失败，自 ${at} 起离线`,
  findFailed: '搜索失败：暂时无法查询，请重试',
  findRetry: '重试搜索',
  cardFailed: '客户卡片未能加载',
  cardRetry: '重新加载卡片',
  channels: { sms: '短信', email: '邮件' },
};
