import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';
import { Shipments } from '#shared/shipments/service.ts';

const env = loadEnv(TableEnv);
const shipments = new Shipments(tracedDocumentClient(), env.TABLE_NAME);

/**
 * The delay watchdog (scheduled): open shipments with no scan since their next milestone was
 * due, or whose promise plus tolerance ran out, read from the sparse due index (no scan of the
 * table).
 */
export const handler = middy(async () => {
  const now = new Date();
  const stagnant = await shipments.stagnant(now);
  let announced = 0;
  for (const s of stagnant) if (await shipments.checkStagnation(s.waybill, now)) announced++;
  metrics.addMetric('StagnantShipments', MetricUnit.Count, stagnant.length);
  metrics.addMetric('StagnationDelaysAnnounced', MetricUnit.Count, announced);
  logger.info('delay watchdog', { stagnant: stagnant.length, announced });
  return { stagnant: stagnant.length, announced };
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
