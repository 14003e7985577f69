// Sign-in for the deployed desktop: Cognito hosted UI, authorization code with PKCE (a public
// app client, no secret). The ID token lives an hour; before each API call the desktop takes a
// fresh one with the refresh token (12 hours) from the OAuth2 token endpoint, and when it cannot
// (refresh token expired or revoked, or the API refuses the token) the agent signs in again. A
// token endpoint that fails for a while (5xx, throttled, unreachable) ends nothing: the call fails
// with a retryable error, the refresh token is kept, and the next call tries the refresh again.
// Locally (no `auth` in config.json) the local stack authenticates requests itself.
import { el } from './dom.js';

const KEY = 'keyline.idToken';
const REFRESH = 'keyline.refreshToken';
/** When the desktop last sent the agent to sign in because the API refused a token. */
const REAUTH = 'keyline.reauthAt';

const b64url = (bytes) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** True while the token has more than a minute left (so it does not expire on the way). */
function tokenValid(token) {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return payload.exp * 1000 > Date.now() + 60_000;
  } catch {
    return false;
  }
}

/** The token endpoint failed for a while (not a refused grant): the caller may try again. */
const unavailable = (cause) =>
  Object.assign(new Error('token endpoint unavailable'), { transient: true, cause });

/**
 * The ID token the token endpoint grants, or undefined when it refuses the grant (400 or 401:
 * invalid_grant, invalid_client, … — the refresh token expired or revoked, the code used). Any
 * other failure (5xx, 429 throttling, a network error) rejects with a transient error.
 */
async function tokenRequest(auth, params) {
  const res = await fetch(`${auth.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: auth.clientId, ...params }),
  }).catch((err) => {
    throw unavailable(err);
  });
  if (res.status === 400 || res.status === 401) return undefined;
  if (!res.ok) throw unavailable(res.status);
  const body = await res.json().catch(() => ({}));
  if (typeof body.id_token !== 'string' || !tokenValid(body.id_token)) return undefined;
  sessionStorage.setItem(KEY, body.id_token);
  // Cognito answers a refresh token to the code grant (and again only when it rotates them).
  if (typeof body.refresh_token === 'string') sessionStorage.setItem(REFRESH, body.refresh_token);
  return body.id_token;
}

/**
 * A new ID token from the refresh token, or undefined (none, expired, revoked): then it is
 * forgotten. A token endpoint unavailable for now rejects (transient) and keeps it.
 */
async function refreshed(auth) {
  const refreshToken = sessionStorage.getItem(REFRESH);
  if (!refreshToken) return undefined;
  const token = await tokenRequest(auth, { grant_type: 'refresh_token', refresh_token: refreshToken });
  if (!token) sessionStorage.removeItem(REFRESH);
  return token;
}

let refreshing;

/**
 * The ID token to send now: the stored one while it is valid, else one refreshed (one refresh at
 * a time, however many calls wait for it); undefined when the agent has to sign in again. Rejects
 * (transient) while the token endpoint is unavailable; the next call refreshes again.
 */
export async function currentToken(auth) {
  const stored = sessionStorage.getItem(KEY);
  if (stored && tokenValid(stored)) return stored;
  refreshing ??= refreshed(auth).finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

/**
 * The token for the API's Authorization header (app.js's api(), before each call): valid, or
 * refreshed; when neither can be had, the session is over and the call rejects (sessionEnded).
 * While the token endpoint is unavailable, the call rejects with a 503 the agent may retry.
 */
export async function validToken(auth, words) {
  const token = await currentToken(auth).catch((err) => {
    if (!err.transient) throw err;
    throw Object.assign(new Error(words.signInUnavailable), {
      status: 503,
      retryable: true,
      body: { error: 'unavailable', message: words.signInUnavailable },
    });
  });
  if (!token) throw sessionEnded(auth, words);
  return token;
}

/** Off to the hosted UI, which comes back here with a code; never settles (the page unloads). */
async function toHostedUi(auth) {
  const redirectUri = `${location.origin}${location.pathname}`;
  const random = b64url(crypto.getRandomValues(new Uint8Array(32)));
  sessionStorage.setItem('keyline.pkce', random);
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(random)));
  const url = new URL(`${auth.domain}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    code_challenge_method: 'S256',
    code_challenge: challenge,
  }).toString();
  location.assign(url.toString());
  return new Promise(() => {});
}

/** Returns an ID token, redirecting to the hosted UI (and back) when there is none. */
export async function signIn(auth) {
  // The token endpoint unavailable at start: the desktop opens on the stored token (its groups
  // lay out the views), and each call tries the refresh again (validToken).
  const current = await currentToken(auth).catch((err) => {
    if (!err.transient) throw err;
    return sessionStorage.getItem(KEY) ?? '';
  });
  if (current !== undefined) return current;
  const redirectUri = `${location.origin}${location.pathname}`;
  const code = new URLSearchParams(location.search).get('code');
  const verifier = sessionStorage.getItem('keyline.pkce');
  if (code && verifier) {
    const idToken = await tokenRequest(auth, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }).catch(() => undefined);
    if (idToken) {
      sessionStorage.removeItem('keyline.pkce');
      history.replaceState(null, '', redirectUri);
      return idToken;
    }
  }
  return toHostedUi(auth);
}

/** Whether the agent has typed into a form (not a search) what leaving the page would lose. */
function halfTyped() {
  return [...document.querySelectorAll('form:not(#find, #filters) :is(input, textarea)')].some(
    (f) =>
      !['hidden', 'checkbox', 'radio', 'submit', 'button', 'search'].includes(f.type) &&
      f.value !== f.defaultValue,
  );
}

/**
 * The session is over (no token to refresh it with, or the API refused it): the agent signs in
 * again. Straight away when nothing typed would be lost; otherwise the desktop says so and waits
 * for the agent to press "sign in again". Answers the error the refused call rejects with, so
 * what the agent was doing reports that it was not done. After a refused token, the desktop does
 * not send the agent round again for two minutes (a hosted UI session would bounce straight back).
 */
export function sessionEnded(auth, words, refused = false) {
  sessionStorage.removeItem(KEY);
  const error = Object.assign(new Error(words.sessionEnded), {
    status: 401,
    body: { error: 'unauthorized', message: words.sessionEnded },
  });
  const last = Number(sessionStorage.getItem(REAUTH) ?? 0);
  if (refused && Date.now() - last < 120_000) return error;
  if (refused) sessionStorage.setItem(REAUTH, String(Date.now()));
  if (!halfTyped()) {
    toHostedUi(auth);
    return error;
  }
  if (!document.getElementById('session-ended')) {
    document.body.prepend(
      el(
        'div',
        { id: 'session-ended', class: 'session-ended', role: 'alert' },
        words.sessionEnded,
        ' ',
        el('button', { type: 'button', onclick: () => toHostedUi(auth) }, words.signInAgain),
      ),
    );
  }
  return error;
}
