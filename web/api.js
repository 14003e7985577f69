// The desktop's one way to the HTTP API (app.js builds it over the desktop's state).
import { apiErrorText } from './api-errors.js';
import { sessionEnded, validToken } from './auth.js';

/**
 * A call to the API as the agent sees it: the token refreshed when due, answers in the agent's
 * language, the local stack's role switch, and a refusal thrown as an Error worded from the
 * catalog, with its status and body (a module words a refusal from its code, body.reason).
 */
export function apiFor(state, t) {
  return async function api(path, init = {}) {
    const headers = {
      accept: 'application/json',
      // Field errors come back in the agent's language.
      'accept-language': state.lang,
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    };
    if (state.config.auth) headers.authorization = `Bearer ${await validToken(state.config.auth, t())}`;
    // The local stack's role switch; in AWS the role comes from the token's groups only.
    if (state.config.mode === 'local') headers['x-keyline-role'] = state.role;
    const res = await fetch(`${state.config.apiBase}${path}`, {
      ...init,
      headers: { ...headers, ...init.headers },
    });
    if (res.status === 401 && state.config.auth) throw sessionEnded(state.config.auth, t(), true);
    const body = await res.json().catch(() => ({}));
    if (!res.ok)
      // The body rides along: a module words a refusal from its code (body.reason) in the catalog.
      throw Object.assign(new Error(apiErrorText(body, res.status, t(), state.lang)), {
        status: res.status,
        body,
      });
    return body;
  };
}
