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
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Keyline' });
