// The banner over a caller's card, one for every card: the known caller's, the unknown caller's,
// and the one shown when the card could not load.
import { el } from './dom.js';

/** Who is calling (an outbound call: why it was placed), then whatever the card adds after it. */
export function callBanner(call, t, ...after) {
  const reason = call.attributes?.reason;
  return el(
    'div',
    { class: 'call-banner', role: 'status' },
    el(
      'strong',
      { id: 'call-direction' },
      call.direction === 'outbound'
        ? t.outboundReason(t.campaignTypes[reason] ?? reason)
        : t.incoming(call.phone || t.withheldCaller),
    ),
    ...after,
  );
}
