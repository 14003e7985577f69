/**
 * Keyline's Amazon Connect flows as code: the inbound hotline, the customer queue flow that offers
 * a callback, the outbound campaign flow and its agent whisper. Every word a caller or agent hears
 * comes from the message catalog in both languages; ARNs are passed in (CDK tokens at synth).
 */
import { t } from '#shared/platform/messages/index.ts';
import { type Block, compare, type FlowDocument, flow, invoke, say, secondChance, voice } from './flow.ts';

export interface FlowRefs {
  screenPop: string;
  ivrTracking: string;
  ivrComplaint: string;
  ivrCallback: string;
  /** The queue callers go to when the lookup fails. */
  defaultQueue: string;
  /** The customer queue flow (offers a callback), set as the contact's queue hook. */
  queueFlow?: string;
}

/** What the screen pop answers and the flow keeps as contact attributes (the CCP and desktop read them). */
export const SCREEN_POP_KEPT = [
  'known',
  'lookupStatus',
  'accountId',
  'accountName',
  'tier',
  'priority',
  'segment',
  'routingQueueName',
  'dedicatedAgent',
  'language',
  'contactName',
  'openComplaints',
  'delayedShipments',
  'screenPopUrl',
] as const;

const LANGS = ['zh', 'en'] as const;
const langOf = { zh: 'zh-CN', en: 'en' } as const;

/** The hotline's language: spoken until the caller is known, and an unknown caller's. */
export const HOTLINE_LANGUAGE = 'zh-CN';

/** Polly's voice for each language the flows speak (the screen pop answers the caller's as `voiceId`). */
export const VOICES = { zh: 'Zhiyu', en: 'Joanna' } as const;

/**
 * After a callback request: booked (or being booked), the caller may hang up; not booked (an
 * unknown or withheld number, a fault), the prompt asked them to hold for an agent, so they do.
 */
const afterCallback = (id: string, toAgent: string): Block =>
  compare(id, '$.External.scheduled', { true: 'end', pending: 'end' }, toAgent);

/** The Lambda found what the caller keyed invalid (`lookupStatus=invalid`): ask again. */
const ifInvalid = (id: string, retry: string, otherwise: string): Block =>
  compare(id, '$.External.lookupStatus', { invalid: retry }, otherwise);

/** Branches on the caller's language (the screen pop's `language`): English or Chinese. */
const byLanguage = (id: string, en: string, zh: string): Block =>
  compare(id, '$.Attributes.language', { en }, zh);

/** The queue's hours now: open to `open`; closed to `closed`; unknown (an error) to `open`. */
const ifOpen = (id: string, open: string, closed: string): Block => ({
  id,
  type: 'CheckHoursOfOperation',
  params: {},
  conditions: [
    { operator: 'Equals', value: 'True', next: open },
    { operator: 'Equals', value: 'False', next: closed },
  ],
  errors: { NoMatchingError: open },
});

const keyIn = (id: string, text: string, next: string, onError: string): Block => ({
  id,
  type: 'GetParticipantInput',
  params: {
    Text: text,
    StoreInput: 'True',
    InputTimeLimitSeconds: '10',
    InputValidation: { CustomValidation: { MaximumLength: '20' } },
    DTMFConfiguration: { InputTerminationSequence: '#' },
  },
  next,
  errors: { NoMatchingError: onError },
});

/**
 * The inbound hotline: screen pop → contact attributes → working queue and priority by tier and
 * dedicated team → a bilingual menu: 1 shipment status, 2 complaint, 3 callback, 0 agent. An agent
 * within the queue's hours, a callback outside them; a full queue apologizes.
 */
export function inboundHotline(r: FlowRefs): FlowDocument {
  const perLang = LANGS.flatMap((l): Block[] => [
    {
      id: `menu-${l}`,
      type: 'GetParticipantInput',
      params: { Text: t(langOf[l], 'ivr.menu'), InputTimeLimitSeconds: '5', StoreInput: 'False' },
      conditions: [
        { operator: 'Equals', value: '1', next: `ask-waybill-${l}` },
        { operator: 'Equals', value: '2', next: `ask-category-${l}` },
        { operator: 'Equals', value: '3', next: 'callback' },
        { operator: 'Equals', value: '0', next: 'hours' },
      ],
      errors: { InputTimeLimitExceeded: 'hours', NoMatchingCondition: 'hours', NoMatchingError: 'hours' },
    },
    keyIn(`ask-waybill-${l}`, t(langOf[l], 'ivr.askWaybill'), 'track', 'hours'),
    keyIn(`ask-category-${l}`, t(langOf[l], 'ivr.askCategory'), `keep-category-${l}`, 'hours'),
    {
      id: `keep-category-${l}`,
      type: 'UpdateContactAttributes',
      params: { TargetContact: 'Current', Attributes: { category: '$.StoredCustomerInput' } },
      next: `ask-complaint-waybill-${l}`,
      errors: { NoMatchingError: 'hours' },
    },
    keyIn(`ask-complaint-waybill-${l}`, t(langOf[l], 'ivr.askComplaintWaybill'), 'complaint', 'complaint'),
    say(`closed-${l}`, t(langOf[l], 'ivr.closed'), 'callback'),
    // Connect got no answer from the Lambda (its 3 s ran out): said so, then an agent.
    say(`track-failed-${l}`, t(langOf[l], 'ivr.tracking.unavailable'), 'hours'),
    say(`complaint-failed-${l}`, t(langOf[l], 'ivr.complaint.unconfirmed'), 'hours'),
    say(`callback-failed-${l}`, t(langOf[l], 'ivr.callback.unconfirmed'), 'agent-if-open'),
    // No callback could be booked after hours: no agent will come, so the caller is told when to call.
    say(`closed-no-callback-${l}`, t(langOf[l], 'ivr.closedNoCallback'), 'end'),
    // "All agents are busy … or press 3 to be called back": it listens for the 3.
    {
      id: `busy-${l}`,
      type: 'GetParticipantInput',
      params: { Text: t(langOf[l], 'ivr.busy'), InputTimeLimitSeconds: '5', StoreInput: 'False' },
      conditions: [{ operator: 'Equals', value: '3', next: 'callback' }],
      errors: { InputTimeLimitExceeded: 'end', NoMatchingCondition: 'end', NoMatchingError: 'end' },
    },
  ]);
  return flow('logging', [
    {
      id: 'logging',
      type: 'UpdateFlowLoggingBehavior',
      params: { FlowLoggingBehavior: 'Enabled' },
      next: 'voice',
    },
    // Chinese until the caller is known: most callers speak it, and Joanna cannot.
    voice('voice', VOICES.zh, 'contact-language'),
    // The contact's own language too (Connect's is en-US until a flow sets it), so the contact
    // record and its analytics say what the caller hears.
    {
      id: 'contact-language',
      type: 'UpdateContactData',
      params: { LanguageCode: HOTLINE_LANGUAGE },
      next: r.queueFlow ? 'queue-hook' : 'lookup',
      errors: { NoMatchingError: r.queueFlow ? 'queue-hook' : 'lookup' },
    },
    ...(r.queueFlow
      ? [
          {
            id: 'queue-hook',
            type: 'UpdateContactEventHooks',
            params: { EventHooks: { CustomerQueue: r.queueFlow } },
            next: 'lookup',
            errors: { NoMatchingError: 'lookup' },
          },
        ]
      : []),
    // An unknown caller is answered in the hotline's language, not in `$.LanguageCode`: that is
    // Connect's default (en-US) unless a flow set it, and would switch them to English.
    invoke('lookup', r.screenPop, { language: HOTLINE_LANGUAGE }, 'keep', 'default-language'),
    {
      id: 'keep',
      type: 'UpdateContactAttributes',
      params: {
        TargetContact: 'Current',
        Attributes: Object.fromEntries(SCREEN_POP_KEPT.map((k) => [k, `$.External.${k}`])),
      },
      next: 'caller-voice',
      errors: { NoMatchingError: 'default-language' },
    },
    voice('caller-voice', '$.External.voiceId', 'set-queue'),
    {
      id: 'set-queue',
      type: 'UpdateContactTargetQueue',
      params: { QueueId: '$.External.routingQueue' },
      next: 'set-priority',
      errors: { NoMatchingError: 'default-queue' },
    },
    {
      id: 'set-priority',
      type: 'UpdateContactRoutingBehavior',
      params: { QueuePriority: '$.External.priority' },
      next: 'language',
      errors: { NoMatchingError: 'language' },
    },
    // No screen pop: the caller hears Chinese, so the IVR Lambdas are told to speak it too.
    {
      id: 'default-language',
      type: 'UpdateContactAttributes',
      params: { TargetContact: 'Current', Attributes: { language: HOTLINE_LANGUAGE } },
      next: 'default-queue',
      errors: { NoMatchingError: 'default-queue' },
    },
    {
      id: 'default-queue',
      type: 'UpdateContactTargetQueue',
      params: { QueueId: r.defaultQueue },
      next: 'language',
      errors: { NoMatchingError: 'busy' },
    },
    byLanguage('language', 'menu-en', 'menu-zh'),
    ...perLang,
    invoke(
      'track',
      r.ivrTracking,
      { waybill: '$.StoredCustomerInput', language: '$.Attributes.language' },
      'say-tracking',
      'track-failed',
    ),
    say('say-tracking', '$.External.prompt', 'tracking-invalid'),
    // "Please key in the digits on your waybill": asked for them again once; otherwise the menu.
    ifInvalid('tracking-invalid', 'waybill-again', 'language'),
    ...secondChance('waybill-again', 'retry-waybill', 'hours'),
    byLanguage('retry-waybill', 'ask-waybill-en', 'ask-waybill-zh'),
    invoke(
      'complaint',
      r.ivrComplaint,
      {
        category: '$.Attributes.category',
        waybill: '$.StoredCustomerInput',
        language: '$.Attributes.language',
      },
      'say-complaint',
      'complaint-failed',
    ),
    say('say-complaint', '$.External.prompt', 'complaint-invalid'),
    // "Please choose a complaint category again": the category menu again, in the caller's language,
    // once; a second invalid input in the call goes to an agent.
    ifInvalid('complaint-invalid', 'category-again', 'complaint-recorded'),
    ...secondChance('category-again', 'retry-category', 'hours'),
    byLanguage('retry-category', 'ask-category-en', 'ask-category-zh'),
    // Not recorded (not on file, or it could not be confirmed): an agent takes it.
    compare('complaint-recorded', '$.External.recorded', { true: 'end', pending: 'end' }, 'hours'),
    invoke(
      'callback',
      r.ivrCallback,
      { language: '$.Attributes.language' },
      'say-callback',
      'callback-failed',
    ),
    ...['track-failed', 'complaint-failed', 'callback-failed'].map((id) =>
      byLanguage(id, `${id}-en`, `${id}-zh`),
    ),
    say('say-callback', '$.External.prompt', 'callback-done'),
    // Not booked: the agent the prompt promised, while the queue is open; after hours (the callback
    // was the closed hotline's offer) nobody would answer, so the caller is told to call again.
    afterCallback('callback-done', 'agent-if-open'),
    ifOpen('agent-if-open', 'transfer', 'closed-no-callback'),
    byLanguage('closed-no-callback', 'closed-no-callback-en', 'closed-no-callback-zh'),
    ifOpen('hours', 'transfer', 'closed'),
    byLanguage('closed', 'closed-en', 'closed-zh'),
    {
      id: 'transfer',
      type: 'TransferContactToQueue',
      params: {},
      next: 'busy',
      errors: { QueueAtCapacity: 'busy', NoMatchingError: 'busy' },
    },
    byLanguage('busy', 'busy-en', 'busy-zh'),
    { id: 'end', type: 'DisconnectParticipant', params: {} },
  ]);
}

/** Seconds the oldest caller has waited before the queue offers a Keyline callback. */
export const CALLBACK_OFFER_AFTER_SECONDS = 120;

/**
 * The customer queue flow: the hold message in the caller's language, interrupted every 30 s; once the
 * oldest caller has waited past the threshold, an offer: 1 books a Keyline callback (the IVR
 * callback Lambda, one per number) and ends the call, 2 keeps holding.
 */
export function customerQueue(r: FlowRefs): FlowDocument {
  return flow('voice', [
    // The caller's voice, in case this flow starts before the hotline set it.
    byLanguage('voice', 'voice-en', 'voice-zh'),
    voice('voice-en', VOICES.en, 'wait'),
    voice('voice-zh', VOICES.zh, 'wait'),
    {
      id: 'wait',
      type: 'CheckMetricData',
      params: { MetricType: 'OldestContactInQueueAgeSeconds' },
      conditions: [
        { operator: 'NumberGreaterThan', value: String(CALLBACK_OFFER_AFTER_SECONDS), next: 'offer' },
      ],
      errors: { NoMatchingCondition: 'hold', NoMatchingError: 'hold' },
    },
    // The hold message in the caller's language (one voice speaks one language).
    byLanguage('hold', 'hold-en', 'hold-zh'),
    ...LANGS.map(
      (l): Block => ({
        id: `hold-${l}`,
        type: 'MessageParticipantIteratively',
        params: { Messages: [{ Text: t(langOf[l], 'ivr.queue.hold') }], InterruptFrequencySeconds: '30' },
        conditions: [{ operator: 'Equals', value: 'MessagesInterrupted', next: 'wait' }],
        errors: { NoMatchingError: 'wait' },
      }),
    ),
    byLanguage('offer', 'offer-en', 'offer-zh'),
    ...LANGS.map(
      (l): Block => ({
        id: `offer-${l}`,
        type: 'GetParticipantInput',
        params: {
          Text: t(langOf[l], 'ivr.queue.offerCallback'),
          InputTimeLimitSeconds: '5',
          StoreInput: 'False',
        },
        conditions: [
          { operator: 'Equals', value: '1', next: 'callback' },
          { operator: 'Equals', value: '2', next: 'hold' },
        ],
        errors: { InputTimeLimitExceeded: 'hold', NoMatchingCondition: 'hold', NoMatchingError: 'hold' },
      }),
    ),
    // No answer from the Lambda: "we could not confirm your callback", and the caller holds on.
    invoke(
      'callback',
      r.ivrCallback,
      { language: '$.Attributes.language' },
      'say-callback',
      'callback-failed',
    ),
    byLanguage('callback-failed', 'callback-failed-en', 'callback-failed-zh'),
    ...LANGS.map((l) => say(`callback-failed-${l}`, t(langOf[l], 'ivr.callback.unconfirmed'), 'hold')),
    say('say-callback', '$.External.prompt', 'callback-done'),
    // Not booked: the caller keeps their place in the queue.
    afterCallback('callback-done', 'hold'),
    { id: 'end', type: 'DisconnectParticipant', params: {} },
  ]);
}

/** The agent's whisper on an outbound call: the dialer's `whisper` (account, tier, reason). */
export function outboundWhisper(): FlowDocument {
  return flow('say', [
    say('say', '$.Attributes.whisper', 'done'),
    { id: 'done', type: 'EndFlowExecution', params: {} },
  ]);
}

/** The outbound campaign flow the dialer starts calls with: the whisper, then the queue. */
export function outboundCampaign(whisperFlow: string): FlowDocument {
  return flow('whisper', [
    {
      id: 'whisper',
      type: 'UpdateContactEventHooks',
      params: { EventHooks: { AgentWhisper: whisperFlow } },
      next: 'transfer',
      errors: { NoMatchingError: 'transfer' },
    },
    {
      id: 'transfer',
      type: 'TransferContactToQueue',
      params: {},
      next: 'end',
      errors: { QueueAtCapacity: 'end', NoMatchingError: 'end' },
    },
    { id: 'end', type: 'DisconnectParticipant', params: {} },
  ]);
}
