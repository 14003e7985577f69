// Amazon Connect's contact control panel in the desktop, when it runs against a real instance.
import { $ } from './dom.js';

/** Production: the CCP from amazon-connect-streams; a connecting contact pops its card. */
export async function startConnect(ccpUrl, popCard) {
  await new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = 'vendor/connect-streams-min.js';
    s.onload = resolve;
    s.onerror = reject;
    document.head.append(s);
  });
  const { connect } = window;
  connect.core.initCCP($('ccp'), {
    ccpUrl,
    loginPopup: true,
    loginPopupAutoClose: true,
    softphone: { allowFramedSoftphone: true },
    pageOptions: { enableAudioDeviceSettings: true },
  });
  connect.contact((contact) => {
    contact.onConnecting(() => {
      const raw = contact.getAttributes();
      const attributes = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v?.value ?? '']));
      const phone = contact.getInitialConnection?.()?.getEndpoint?.()?.phoneNumber ?? '';
      popCard({ contactId: contact.getContactId(), phone, attributes, source: 'ccp' });
    });
  });
}
