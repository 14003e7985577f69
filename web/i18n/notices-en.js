// What the desktop tells the agent when the API fails or refuses, and the channels' names, in
// English (spread into en.js; key for key with notices-zh-CN.js).
export const EN_NOTICES = {
  /** The request id a server error asks to quote, shown with it. */
  requestId: (id) => `request id ${id}`,
  /** The fields a refusal names, by the API's field name (its path without body. and indexes). */
  fields: {
    waybills: 'waybill',
    waybill: 'waybill',
    description: 'description',
    category: 'category',
    severity: 'severity',
    contactId: 'contact',
    accountId: 'account',
    team: 'team',
    note: 'note',
    notes: 'notes',
    score: 'score',
    name: 'name',
    remedy: 'remedy',
    phone: 'phone',
    hours: 'hours',
    reason: 'reason',
    number: 'phone',
  },
  reasonNoScan: 'no scan since the next milestone was due',
  liveOffline: (at) => `Live updates failed: offline since ${at}`,
  findFailed: 'The search failed: the lookups could not be made, try again',
  findRetry: 'Search again',
  cardFailed: 'The caller card could not load',
  cardRetry: 'Reload the card',
  channels: { sms: 'SMS', email: 'E-mail' },
};
