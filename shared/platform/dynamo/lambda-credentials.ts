import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * The credential chain of Keyline's Lambda bundles, in place of `@aws-sdk/credential-provider-node`
 * (infra/bundling.ts aliases that package to this module; nothing imports it directly).
 *
 * Lambda hands every function its role's credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
 * and AWS_SESSION_TOKEN, and the SDK's default chain reads exactly those first. Its other links
 * (SSO, shared ini files, credential_process, web identity, container and instance metadata) and
 * the STS and SSO clients they carry are never reached in Lambda, yet they make up some 140 KiB
 * of every bundle, parsed at each cold start. Without the variables it fails at the first request,
 * and says so.
 *
 * The SDK asks its provider at every request; the variables do not change for the life of an
 * execution environment, so they are read once (and again only when AWS_CREDENTIAL_EXPIRATION,
 * where set, comes within five minutes).
 *
 * Code run outside a bundle (the local stack, the CLI, the tests) keeps the SDK's default chain.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => {
  const read = fromEnv(init);
  let cached: Awaited<ReturnType<typeof read>> | undefined;
  return async () => {
    const exp = cached?.expiration?.getTime();
    if (!cached || (exp !== undefined && exp - Date.now() < 5 * 60_000)) cached = await read();
    return cached;
  };
};
