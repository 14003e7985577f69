import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { complaintOptionsFromEnv } from '#shared/complaints/config.ts';
import { ConnectLambdaEnv, loadEnv } from '#shared/config/env.ts';
import { withBudget } from '#shared/connect/budget.ts';
import { callerNumber } from '#shared/connect/caller.ts';
import {
  complaintRecordedPrompt,
  IVR_CATEGORY_DIGITS,
  ivrDescription,
  ivrSeverity,
} from '#shared/connect/complaint-prompt.ts';
import { ContactFlowEvent, flowParameter, rawContactId, toStringMap } from '#shared/connect/event.ts';
import { logger, metrics } from '#shared/observability/index.ts';
import { maskPhone } from '#shared/observability/mask.ts';
import { AccountStore } from '#shared/store/accounts.ts';
import { CallerDirectory } from '#shared/store/caller-directory.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { ComplaintStore } from '#shared/store/complaints.ts';

const env = loadEnv(ConnectLambdaEnv);
const db = createDocumentClient({ maxAttempts: 2 });
const directory = new CallerDirectory(db, env.TABLE_NAME);
const accounts = new AccountStore(db, env.TABLE_NAME);
const complaints = new ComplaintStore(db, env.TABLE_NAME, complaintOptionsFromEnv());

type Lang = 'zh-CN' | 'en';

/**
 * IVR complaint intake. The caller picks a category by DTMF (Parameters.category) and may key a
 * waybill (Parameters.waybill). The Connect ContactId is the idempotency key, so a retried
 * invocation answers the complaint already recorded. It never throws.
 */
export const handler = async (rawEvent: unknown): Promise<Record<string, string>> => {
  const contactId = rawContactId(rawEvent);
  const parsed = ContactFlowEvent.safeParse(rawEvent);
  const flowLang: Lang | undefined =
    parsed.success && flowParameter(parsed.data, 'language')?.toLowerCase().startsWith('en')
      ? 'en'
      : undefined;
  const say = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);
  const answer = (status: string, lang: Lang, prompt: string, extra: Record<string, string> = {}) =>
    toStringMap({ recorded: 'false', lookupStatus: status, language: lang, prompt, ...extra });
  try {
    if (!parsed.success)
      return answer('error', 'zh-CN', '抱歉，系统暂时无法登记投诉，正在为您转接人工服务。');
    const category = IVR_CATEGORY_DIGITS[flowParameter(parsed.data, 'category') ?? ''];
    const rawWaybill = (flowParameter(parsed.data, 'waybill') ?? '').replace(/[\s#*]/g, '');
    const waybill = /^[0-9A-Z]{6,20}$/.test(rawWaybill) ? rawWaybill : undefined;
    const caller = callerNumber(parsed.data.Details.ContactData.CustomerEndpoint?.Address);
    if (!category) {
      const lang = flowLang ?? 'zh-CN';
      return answer(
        'invalid',
        lang,
        say(
          lang,
          '抱歉，没有识别您的选择，请重新选择投诉类别。',
          'Sorry, that is not one of the options. Please choose a complaint category again.',
        ),
      );
    }
    if (caller.kind !== 'number') {
      const lang = flowLang ?? 'zh-CN';
      return answer(
        'unknown',
        lang,
        say(
          lang,
          '为了登记投诉，正在为您转接人工服务。',
          'To record your complaint, we are transferring you to an agent.',
        ),
      );
    }
    const result = await withBudget(env.LOOKUP_BUDGET_MS * 3, async () => {
      const matches = await directory.byPhone(caller.e164);
      const best = matches[0];
      if (!best) return undefined;
      const account = await accounts.get(best.accountId);
      if (!account) return undefined;
      const { complaint, created } = await complaints.create(
        {
          accountId: account.id,
          contactId: best.contactId,
          waybills: waybill ? [waybill] : [],
          category,
          severity: ivrSeverity(category, account.derived.tier),
          channel: 'ivr',
          description: ivrDescription(category, waybill),
          ...(account.dedicatedTeam ? { team: account.dedicatedTeam } : { team: account.serviceGroup }),
        },
        account,
        'ivr',
        { idempotencyKey: contactId },
      );
      return {
        complaint,
        created,
        lang: (flowLang ?? (best.language === 'en' ? 'en' : 'zh-CN')) as Lang,
        tz: complaint.contactTimeZone ?? account.timeZone,
      };
    });
    if (!result) {
      const lang = flowLang ?? 'zh-CN';
      logger.info('ivr complaint: caller not on file', { contactId, caller: maskPhone(caller.e164) });
      return answer(
        'unknown',
        lang,
        say(
          lang,
          '为了登记投诉，正在为您转接人工服务。',
          'To record your complaint, we are transferring you to an agent.',
        ),
      );
    }
    const { complaint, created, lang, tz } = result;
    metrics.addMetric(created ? 'IvrComplaintsRecorded' : 'IvrComplaintRetries', MetricUnit.Count, 1);
    logger.info('ivr complaint', {
      contactId,
      caller: maskPhone(caller.e164),
      reference: complaint.reference,
      created,
    });
    return toStringMap({
      recorded: 'true',
      lookupStatus: 'ok',
      language: lang,
      complaintId: complaint.id,
      reference: complaint.reference,
      referenceSpoken: complaint.reference.split('').join(' '),
      severity: complaint.severity,
      ackDueAt: complaint.ackDueAt,
      prompt: complaintRecordedPrompt(complaint.reference, complaint.category, complaint.ackDueAt, lang, tz),
    });
  } catch (err) {
    metrics.addMetric('IvrComplaintErrors', MetricUnit.Count, 1);
    logger.error('ivr complaint failed; transferring to an agent', { contactId, error: err as Error });
    const lang = flowLang ?? 'zh-CN';
    return answer(
      'error',
      lang,
      say(
        lang,
        '抱歉，系统暂时无法登记投诉，正在为您转接人工服务。',
        'Sorry, we cannot record your complaint right now. We are transferring you to an agent.',
      ),
    );
  } finally {
    metrics.publishStoredMetrics();
  }
};
