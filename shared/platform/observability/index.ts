import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { maskValue } from './mask.ts';

/**
 * Module-level singletons, one per Lambda (Powertools). The service name comes from
 * POWERTOOLS_SERVICE_NAME; every log line goes through the masker (phones and emails only).
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'keyline',
  jsonReplacerFn: maskValue,
});
/**
 * Metrics as EMF lines. Its own warnings (an invocation that published none) go through the
 * structured logger, and nowhere when metrics are off (the local stack, the tests).
 */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Keyline',
  logger:
    process.env.POWERTOOLS_METRICS_DISABLED === 'true'
      ? { debug: () => {}, info: () => {}, warn: () => {}, error: (...e: unknown[]) => console.error(...e) }
      : logger,
});
