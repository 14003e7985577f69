import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * The credential chain of Keyline's Lambda bundles, in place of `@aws-sdk/credential-provider-node`
 * (infra/bundling.ts aliases that package to this module; nothing imports it directly).
 *
 * Lambda hands every function its role's credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
 * and AWS_SESSION_TOKEN, and the SDK's default chain reads exactly those first. Its other links
 * (SSO, shared ini files, credential_process, web identity, container and instance metadata) and
 * the STS and SSO clients they carry are never reached in Lambda, yet they make up some 140 KiB
 * of every bundle, parsed at each cold start. Each SDK client caches and refreshes what this
 * returns; without the variables it fails at the first request, and says so.
 *
 * Code run outside a bundle (the local stack, the CLI, the tests) keeps the SDK's default chain.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
