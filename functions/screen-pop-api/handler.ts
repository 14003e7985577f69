import { PhoneLookups } from '#shared/accounts/lookup.ts';
import { normalizePhone } from '#shared/accounts/phone.ts';
import { phoneRefused } from '#shared/accounts/registry.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { campaignFor } from '#shared/accounts/visibility.ts';
import { WeeklyAggregates } from '#shared/analytics/aggregates.ts';
import { campaignView } from '#shared/campaigns/campaign.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { complaintPolicyFromEnv } from '#shared/complaints/config.ts';
import { Complaints } from '#shared/complaints/service.ts';
import { complaintList } from '#shared/complaints/views.ts';
import { journalLines } from '#shared/inbound/caller-journal.ts';
import { accountCard, type CardDeps, cardFor, phoneCard } from '#shared/inbound/card.ts';
import { CallLog } from '#shared/inbound/directory.ts';
import { CallJournal } from '#shared/inbound/journal.ts';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { callerNumber } from '#shared/platform/connect/caller.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { NotFoundError, ValidationError } from '#shared/platform/errors.ts';
import { endpoint, httpHandler } from '#shared/platform/http/handler.ts';
import { heldTags, section } from '#shared/platform/http/tag.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { screenPopRoutes as r } from './routes.ts';

const env = loadEnv(TableEnv);
const db = tracedDocumentClient();
const campaigns = new Campaigns(db, env.TABLE_NAME);
const deps: CardDeps = {
  accounts: new Accounts(db, env.TABLE_NAME),
  aggregates: new WeeklyAggregates(db, env.TABLE_NAME),
  shipments: new Shipments(db, env.TABLE_NAME),
  calls: new CallLog(db, env.TABLE_NAME),
  complaints: new Complaints(db, env.TABLE_NAME, campaigns, complaintPolicyFromEnv()),
};
const journal = {
  journal: new CallJournal(db, env.TABLE_NAME),
  phones: new PhoneLookups(db, env.TABLE_NAME),
  accounts: deps.accounts.repo,
  campaigns,
};

/**
 * The calling number as the screen pop read it (a SIP or tel URI, a trunk's +86 0… form, an
 * extension), so the card of a caller it knew loads; anything else as a person would type it.
 */
function e164(phone: string): string {
  const caller = callerNumber(phone);
  const read = caller.kind === 'number' ? normalizePhone(caller.e164) : undefined;
  if (read?.ok) return read.e164;
  const n = normalizePhone(phone);
  if (!n.ok) throw new ValidationError([phoneRefused('query.phone', n.refusal)]);
  return n.e164;
}

/**
 * The agent desktop's reads: the screen-pop card (account, contact, KPIs, shipments, calls, next
 * actions), and its live panels in one request (the desk feed).
 */
export const handler = httpHandler([
  endpoint(r.byPhone, async ({ query, agent }) => ({
    statusCode: 200,
    body: cardFor(agent.role, await phoneCard(deps, e164(query.phone))),
  })),
  endpoint(r.byAccount, async ({ params, query, agent }) => {
    const card = await accountCard(deps, params.id, query.phone ? e164(query.phone) : undefined);
    if (!card) throw new NotFoundError('Account', params.id);
    return { statusCode: 200, body: cardFor(agent.role, card) };
  }),
  endpoint(r.desk, async ({ query, agent }) => {
    const now = new Date();
    const held = heldTags(query.have);
    const [open, all, calls] = await Promise.all([
      deps.complaints.listUnresolved(),
      campaigns.listCampaigns(),
      journalLines(journal, now),
    ]);
    const reopen = deps.complaints.policy.reopenWindowMinutes;
    return {
      statusCode: 200,
      body: {
        complaints: section(complaintList(open, query, agent.name, now, reopen), held.complaints),
        campaigns: section(
          all.map((c) => campaignFor(agent.role, campaignView(c))),
          held.campaigns,
        ),
        calls: section(calls, held.calls),
      },
    };
  }),
]);
