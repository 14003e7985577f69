import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import * as z from 'zod/mini';
import { Campaigns } from '#shared/campaigns/service.ts';
import { complaintPolicyFromEnv } from '#shared/complaints/config.ts';
import { runEscalation } from '#shared/complaints/escalation.ts';
import { Complaints } from '#shared/complaints/service.ts';
import { calendarGaps } from '#shared/platform/calendar.ts';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { SnsEventPublisher } from '#shared/platform/events.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';

const env = loadEnv(z.extend(TableEnv, { ESCALATION_TOPIC_ARN: z.string().check(z.minLength(20)) }));
const db = tracedDocumentClient();
const policy = complaintPolicyFromEnv();
const complaints = new Complaints(db, env.TABLE_NAME, new Campaigns(db, env.TABLE_NAME), policy);
/** The years already warned of by this instance: one log line each, the metric every run. */
const warned = new Set<number>();
const publisher = new SnsEventPublisher(new SNSClient({}), env.ESCALATION_TOPIC_ARN);

/** Runs every minute from EventBridge Scheduler: escalates at-risk and breached complaints. */
export const handler = middy(async () => {
  // Due dates over the next 60 days on a China calendar nobody knows yet: an operator must act.
  const gaps = calendarGaps(new Date(), policy.sla.calendar);
  metrics.addMetric('CalendarYearsMissing', MetricUnit.Count, gaps.length);
  for (const year of gaps.filter((y) => !warned.has(y))) {
    warned.add(year);
    logger.warn(
      `China's working calendar for ${year} is not known: business-day SLAs count it Monday to Friday, holidays included. Update the chinese-days package and deploy, or deploy with -c slaCalendar listing ${year}'s holidays and adjusted working days.`,
      { year },
    );
  }
  const run = await runEscalation(complaints, publisher);
  metrics.addMetric('EscalationItemsRead', MetricUnit.Count, run.read);
  metrics.addMetric('Escalations', MetricUnit.Count, run.published);
  metrics.addMetric('EscalationFailures', MetricUnit.Count, run.failures);
  if (run.failures > 0)
    logger.error('some escalations could not be published; they will be retried', { ...run });
  else logger.info('escalation run', { ...run });
  return run;
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
