// A refusal or failure of the API in the agent's language: the catalog's sentence for its code
// (the error body's `error`, shared/platform/http/handler.ts), never the server's English
// `message`. A refused field is named from the catalog, with the API's message for it (the API
// words field errors in the language the desktop asks for, Accept-Language), without its path
// (body.waybills.0); a server error shows the request id the agent is asked to quote.

/** The field a refusal's path names, as the catalog knows it: `body.waybills.0` → `waybills`. */
function fieldOf(path) {
  return String(path ?? '')
    .split('.')
    .filter((p) => p && !/^\d+$/.test(p) && !['body', 'query', 'path', 'header', '(root)'].includes(p))
    .at(-1);
}

/** The text of a failed request (`body` the API's error body, `status` its HTTP status). */
export function apiErrorText(body, status, t, lang) {
  const lead = t.apiErrors[body.error] ?? t.apiErrors.other;
  const fields = (body.errors ?? []).map((e) => {
    const label = t.fields[fieldOf(e.path)];
    return label ? `${label}${lang === 'en' ? ': ' : '：'}${e.message}` : e.message;
  });
  const details = [
    ...(body.error === 'validation_failed' ? fields : []),
    // An unknown code says at least which status it was.
    ...(t.apiErrors[body.error] ? [] : [`HTTP ${status}`]),
    ...(status >= 500 && body.requestId ? [t.requestId(body.requestId)] : []),
  ];
  if (!details.length) return lead;
  return lang === 'en' ? `${lead} (${details.join('; ')})` : `${lead}（${details.join('；')}）`;
}
