import { label } from './labels.ts';
import { msg } from './message.ts';

/** What a caller hears from the IVR (Polly reads these), in both languages. */
export const IVR = {
  'ivr.tracking.notFound': msg<{ spoken: string }>(
    (p) => `抱歉，没有查到运单 ${p.spoken}。请核对单号，或稍候转人工服务。`,
    (p) => `Sorry, we could not find waybill ${p.spoken}. Please check the number, or hold for an agent.`,
  ),
  'ivr.tracking.state.delivered': msg(
    () => label('milestone', 'delivered', 'zh-CN'),
    () => label('milestone', 'delivered', 'en'),
  ),
  'ivr.tracking.state.delayed': msg(
    () => '运输中，已延误',
    () => 'in transit and running late',
  ),
  'ivr.tracking.state.in-transit': msg(
    () => '运输中',
    () => 'in transit',
  ),
  'ivr.tracking.status': msg<{ spoken: string; state: string }>(
    (p) => `运单 ${p.spoken} 当前状态：${p.state}。`,
    (p) => `Waybill ${p.spoken} is ${p.state}.`,
  ),
  'ivr.tracking.notOwner': msg<{ spoken: string; state: string }>(
    (p) =>
      `运单 ${p.spoken} 当前状态：${p.state}。如需详细信息，请使用发货客户登记的电话致电，或稍候转人工服务。`,
    (p) =>
      `Waybill ${p.spoken} is ${p.state}. For details, please call from a number registered to the shipper's account, or hold for an agent.`,
  ),
  /** Without `location` when the voice cannot read it (Chinese characters to the English voice). */
  'ivr.tracking.latestScan': msg<{ milestone: string; reason?: string; location?: string }>(
    (p) =>
      `最新动态：${p.location ? `${p.location}，` : ''}${label('milestone', p.milestone, 'zh-CN')}${p.reason ? `，原因：${label('reason', p.reason, 'zh-CN')}` : ''}。`,
    (p) =>
      ` Latest scan: ${label('milestone', p.milestone, 'en')}${p.reason ? ` due to ${label('reason', p.reason, 'en')}` : ''}${p.location ? `, at ${p.location}` : ''}.`,
  ),
  'ivr.tracking.expected': msg<{ when: string }>(
    (p) => `预计送达时间：${p.when}。`,
    (p) => ` Expected delivery: ${p.when}.`,
  ),
  'ivr.tracking.sorry': msg(
    () => '给您带来不便，我们深表歉意，您的专属服务团队已跟进处理。',
    () => ' We are sorry for the delay; your account team has been alerted.',
  ),
  'ivr.tracking.unavailable': msg(
    () => '抱歉，查询服务暂时不可用，请稍候转人工服务。',
    () => 'Sorry, tracking is not available right now. Please hold for an agent.',
  ),
  'ivr.tracking.invalidWaybill': msg(
    () => '抱歉，运单号格式不正确。请输入运单上的数字，以井号键结束。',
    () =>
      'Sorry, that does not look like a waybill number. Please key in the digits on your waybill, then press the hash key.',
  ),
  'ivr.complaint.recorded': msg<{ category: string; reference: string; when: string }>(
    (p) =>
      `谢谢您。您关于${label('category', p.category, 'zh-CN')}的投诉已登记，投诉编号 ${p.reference}。我们将在 ${p.when} 之前与您联系。`,
    (p) =>
      `Thank you. Your complaint about ${label('category', p.category, 'en')} is recorded. Your reference number is ${p.reference}. We will get back to you by ${p.when}.`,
  ),
  'ivr.complaint.invalidCategory': msg(
    () => '抱歉，没有识别您的选择，请重新选择投诉类别。',
    () => 'Sorry, that is not one of the options. Please choose a complaint category again.',
  ),
  'ivr.complaint.transfer': msg(
    () => '为了登记投诉，正在为您转接人工服务。',
    () => 'To record your complaint, we are transferring you to an agent.',
  ),
  'ivr.complaint.unavailable': msg(
    () => '抱歉，系统暂时无法登记投诉，正在为您转接人工服务。',
    () => 'Sorry, we cannot record your complaint right now. We are transferring you to an agent.',
  ),
  /** The stored description of a complaint filed from the IVR, read by agents in either language. */
  'ivr.complaint.description': msg<{ category: string; waybill?: string }>(
    (p) =>
      `电话语音投诉：${label('category', p.category, 'zh-CN')}${p.waybill ? `（运单 ${p.waybill}）` : ''}。`,
    (p) =>
      `IVR complaint: ${label('category', p.category, 'en')}${p.waybill ? ` (waybill ${p.waybill})` : ''}.`,
  ),
  'ivr.callback.scheduled': msg<{ when: string }>(
    (p) => `谢谢您。我们将于${p.when}起为您回电（周一至周六 9:00–20:00）。您现在可以挂机。`,
    (p) =>
      `Thank you. We will call you back from ${p.when}, between 9 am and 8 pm, Monday to Saturday. You can hang up now.`,
  ),
  'ivr.callback.alreadyScheduled': msg<{ when: string }>(
    (p) => `您已预约回电，我们将于${p.when}起与您联系。`,
    (p) => `You already have a callback booked, from ${p.when}. We will call you then.`,
  ),
  'ivr.callback.alreadyScheduledSoon': msg(
    () => '您已预约回电，我们会尽快与您联系。',
    () => 'You already have a callback booked. We will call you shortly.',
  ),
  'ivr.callback.unavailable': msg(
    () => '抱歉，暂时无法预约回电，请稍候转人工服务。',
    () => 'Sorry, we cannot book a callback right now. Please hold for an agent.',
  ),
  /** The write did not finish in the flow's time: it is finished afterwards and confirmed by SMS. */
  'ivr.complaint.pending': msg(
    () => '谢谢您。您的投诉正在登记，受理编号稍后将以短信发送到您的手机。您现在可以挂机。',
    () =>
      'Thank you. Your complaint is being recorded; we will text you its reference number shortly. You can hang up now.',
  ),
  'ivr.complaint.unconfirmed': msg(
    () => '抱歉，系统暂时无法确认您的投诉是否已登记，正在为您转接人工服务。',
    () =>
      'Sorry, we could not confirm whether your complaint was recorded. We are transferring you to an agent.',
  ),
  'ivr.callback.unconfirmed': msg(
    () => '抱歉，系统暂时无法确认您的回电预约，请稍候转人工服务。',
    () => 'Sorry, we could not confirm your callback. Please hold for an agent.',
  ),
  'ivr.callback.pending': msg(
    () => '谢谢您。您的回电预约正在处理，回电时间稍后将以短信告知。您现在可以挂机。',
    () => 'Thank you. Your callback is being booked; we will text you the time shortly. You can hang up now.',
  ),
  /** The SMS that confirms what the IVR could not confirm in the call. */
  'sms.ivr.complaintRecorded': msg<{ reference: string; when: string }>(
    (p) => `【客服中心】您的投诉已登记，受理编号 ${p.reference}，我们将于${p.when}前与您联系。`,
    (p) => `Your complaint is recorded, reference ${p.reference}. We will contact you by ${p.when}.`,
  ),
  'sms.ivr.callbackBooked': msg<{ when: string }>(
    (p) => `【客服中心】您的回电预约已登记，我们将于${p.when}起为您回电。`,
    (p) => `Your callback is booked. We will call you back from ${p.when}.`,
  ),
  'sms.ivr.callbackBookedSoon': msg(
    () => '【客服中心】您的回电预约已登记，我们会尽快为您回电。',
    () => 'Your callback is booked. We will call you back shortly.',
  ),
  /** The hotline's own words (infra/connect/flows.ts puts them into the contact flows). */
  'ivr.menu': msg(
    () => '您好，欢迎致电客户服务热线。查询运单请按 1，投诉请按 2，预约回电请按 3，人工服务请按 0。',
    () =>
      'Welcome to the customer service hotline. To track a shipment, press 1. To make a complaint, press 2. To be called back, press 3. To speak to an agent, press 0.',
  ),
  'ivr.askWaybill': msg(
    () => '请输入运单号，以井号键结束。',
    () => 'Please key in the waybill number, then press the hash key.',
  ),
  'ivr.askCategory': msg(
    () =>
      '请选择投诉类别：延误按 1，破损按 2，丢失按 3，错送按 4，短少按 5，账单按 6，服务态度按 7，其他按 9。',
    () =>
      'Please choose: a delay, press 1; damage, 2; loss, 3; a wrong delivery, 4; a short shipment, 5; billing, 6; service attitude, 7; anything else, 9.',
  ),
  'ivr.askComplaintWaybill': msg(
    () => '如涉及运单，请输入运单号并以井号键结束；没有请直接按井号键。',
    () => 'If it is about a shipment, key in the waybill and press hash; otherwise just press hash.',
  ),
  'ivr.busy': msg(
    () => '抱歉，坐席繁忙，请稍后再拨，或按 3 预约回电。',
    () => 'Sorry, all our agents are busy. Please call again later, or press 3 to be called back.',
  ),
  'ivr.closedNoCallback': msg(
    () => '很抱歉，现在是非工作时间，且未能为您预约回电。请在工作时间再次致电，谢谢。',
    () =>
      'We are sorry: our team is closed now, and we could not book a callback. Please call again during business hours.',
  ),
  'ivr.closed': msg(
    () => '您好，现在是非工作时间。我们将为您预约回电，请稍候。',
    () => 'Our team is closed now. We will book a callback for you; please hold.',
  ),
  'ivr.queue.hold': msg(
    () => '坐席正忙，请稍候，我们将尽快为您服务。',
    () => 'All our agents are busy. Please hold; we will be with you shortly.',
  ),
  'ivr.queue.offerCallback': msg(
    () => '如不想继续等待，请按 1，我们将在坐席空闲时为您回电；继续等待请按 2。',
    () =>
      'Rather not wait? Press 1 and we will call you back when an agent is free; press 2 to keep holding.',
  ),
  /** What the agent hears before an outbound call connects (the dialer puts it in `whisper`). */
  'whisper.outbound': msg<{ account: string; tier: string; reason: string }>(
    (p) => `外呼：${p.account}，${p.tier}，${p.reason}。`,
    (p) => `Outbound: ${p.account}, ${p.tier}, ${p.reason}.`,
  ),
};
