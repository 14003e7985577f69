import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';
import { Shipments, WATCHDOG_MAX_CONSECUTIVE_FAILURES } from '#shared/shipments/service.ts';

const env = loadEnv(TableEnv);
const shipments = new Shipments(tracedDocumentClient(), env.TABLE_NAME);

/**
 * The delay watchdog (scheduled): open shipments with no scan since their next milestone was
 * due, or whose promise plus tolerance ran out, read from the sparse due index (no scan of the
 * table). A shipment whose check fails is logged and counted, and the others are checked; a run
 * that stops after failures in a row fails, so the invocation's errors show it.
 */
export const handler = middy(async () => {
  const now = new Date();
  const run = await shipments.watchdogRun(now, (waybill, err) =>
    logger.error('delay watchdog: check failed; the shipment stays due for the next run', {
      waybill,
      error: err as Error,
    }),
  );
  metrics.addMetric('StagnantShipments', MetricUnit.Count, run.stagnant);
  metrics.addMetric('StagnationDelaysAnnounced', MetricUnit.Count, run.announced);
  metrics.addMetric('StagnationChecksFailed', MetricUnit.Count, run.failed.length);
  const summary = { stagnant: run.stagnant, announced: run.announced, failed: run.failed.length };
  if (run.stopped) {
    logger.error('delay watchdog: stopped after checks failed in a row', summary);
    throw new Error(
      `delay watchdog stopped after ${WATCHDOG_MAX_CONSECUTIVE_FAILURES} checks failed in a row (${run.failed.length} failed)`,
    );
  }
  logger.info('delay watchdog', summary);
  return summary;
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
