import { PhoneLookups } from '#shared/accounts/lookup.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { campaignFor, checkAudienceFor } from '#shared/accounts/visibility.ts';
import { previewAudience, resolveAudience } from '#shared/campaigns/audience.ts';
import { campaignView } from '#shared/campaigns/campaign.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { bookJournalCallback, type CallerJournalDeps, journalLines } from '#shared/inbound/caller-journal.ts';
import { CallJournal } from '#shared/inbound/journal.ts';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { dynamoClient } from '#shared/platform/dynamo/client.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { endpoint, httpHandler } from '#shared/platform/http/handler.ts';
import { HttpIdempotency } from '#shared/platform/http/idempotency.ts';
import { campaignRoutes as r } from './routes.ts';

const env = loadEnv(TableEnv);
const db = tracedDocumentClient();
const accounts = new Accounts(db, env.TABLE_NAME);
const campaigns = new Campaigns(db, env.TABLE_NAME);
const journal: CallerJournalDeps = {
  journal: new CallJournal(db, env.TABLE_NAME),
  phones: new PhoneLookups(db, env.TABLE_NAME),
  accounts: accounts.repo,
  campaigns,
};

/** Outbound campaigns and their callbacks over HTTP, and the caller journal's callbacks. */
export const handler = httpHandler(
  [
    endpoint(r.create, async ({ body, agent, requestKey }) => {
      checkAudienceFor(agent.role, body.audience);
      const { targets, excluded } = await resolveAudience(accounts, body.audience, body.type);
      const c = await campaigns.createCampaign(body, targets, excluded, agent.name, new Date(), requestKey);
      return { statusCode: 201, body: campaignFor(agent.role, campaignView(c)) };
    }),
    endpoint(r.preview, async ({ body, agent }) => {
      checkAudienceFor(agent.role, body.audience);
      return { statusCode: 200, body: await previewAudience(accounts, body.audience, body.type) };
    }),
    endpoint(r.list, async ({ query: { status, ...page }, agent }) => {
      const { items, next } = await campaigns.pageCampaigns(status, page);
      return {
        statusCode: 200,
        body: {
          items: items.map((c) => campaignFor(agent.role, campaignView(c))),
          ...(next ? { next } : {}),
        },
      };
    }),
    endpoint(r.get, async ({ params, agent }) => ({
      statusCode: 200,
      body: campaignFor(agent.role, campaignView(await campaigns.requireCampaign(params.id))),
    })),
    endpoint(r.control, async ({ params, body, agent }) => ({
      statusCode: 200,
      body: campaignFor(agent.role, campaignView(await campaigns.control(params.id, body.action))),
    })),
    endpoint(r.callbacks, async ({ params, query: { state, ...page } }) => {
      await campaigns.requireCampaign(params.id);
      return { statusCode: 200, body: await campaigns.pageCallbacks(params.id, state, page) };
    }),
    endpoint(r.callback, async ({ params }) => ({
      statusCode: 200,
      body: await campaigns.requireCallback(params.id),
    })),
    endpoint(r.followUps, async ({ params }) => {
      await accounts.require(params.id);
      return { statusCode: 200, body: await campaigns.followUps(params.id) };
    }),
    endpoint(r.dispose, async ({ params, body }) => ({
      statusCode: 200,
      body: await campaigns.dispose(params.id, body.disposition, body.notes, new Date(), body.satisfaction),
    })),
    endpoint(r.journal, async ({ query }) => ({
      statusCode: 200,
      body: { items: await journalLines(journal, new Date(), query.hours) },
    })),
    endpoint(r.journalCallback, async ({ params }) => ({
      statusCode: 200,
      body: await bookJournalCallback(journal, params.id),
    })),
  ],
  { idempotency: new HttpIdempotency(env.TABLE_NAME, dynamoClient()) },
);
