// Sign-in for the deployed desktop: Cognito hosted UI, authorization code with PKCE.
// Locally (no `auth` in config.json) the local stack authenticates requests itself.
const KEY = 'keyline.idToken';

const b64url = (bytes) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

function tokenValid(token) {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return payload.exp * 1000 > Date.now() + 60_000;
  } catch {
    return false;
  }
}

/** Returns an ID token, redirecting to the hosted UI (and back) when there is none. */
export async function signIn(auth) {
  const stored = sessionStorage.getItem(KEY);
  if (stored && tokenValid(stored)) return stored;
  const redirectUri = `${location.origin}${location.pathname}`;
  const code = new URLSearchParams(location.search).get('code');
  const verifier = sessionStorage.getItem('keyline.pkce');
  if (code && verifier) {
    const res = await fetch(`${auth.domain}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: auth.clientId,
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }),
    });
    if (res.ok) {
      const { id_token: idToken } = await res.json();
      sessionStorage.setItem(KEY, idToken);
      sessionStorage.removeItem('keyline.pkce');
      history.replaceState(null, '', redirectUri);
      return idToken;
    }
  }
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
