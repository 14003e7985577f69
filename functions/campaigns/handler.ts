import { resolveAudience } from '#shared/campaigns/audience.ts';
import { loadEnv, TableEnv } from '#shared/config/env.ts';
import type { Campaign } from '#shared/domain/campaign.ts';
import { endpoint, httpHandler } from '#shared/http/handler.ts';
import { AccountStore } from '#shared/store/accounts.ts';
import { CampaignStore } from '#shared/store/campaigns.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { IdempotencyStore } from '#shared/store/idempotency.ts';
import { campaignRoutes as r } from './routes.ts';

const env = loadEnv(TableEnv);
const db = createDocumentClient();
const accounts = new AccountStore(db, env.TABLE_NAME);
const campaigns = new CampaignStore(db, env.TABLE_NAME);

/** A campaign with its progress figures. */
function view(c: Campaign) {
  const k = c.counts;
  return {
    ...c,
    reachRate: k.dialed > 0 ? Math.round((k.reached / k.dialed) * 1000) / 1000 : null,
    remaining: Math.max(0, k.targets - k.completed - k.failed - k.expired - k.cancelled),
  };
}

export const handler = httpHandler(
  [
    endpoint(r.create, async ({ body, agent }) => {
      const { targets, excluded } = await resolveAudience(accounts, body.audience);
      const c = await campaigns.createCampaign(body, targets, excluded, agent.name);
      return { statusCode: 201, body: view(c) };
    }),
    endpoint(r.preview, async ({ body }) => {
      const { targets, excluded } = await resolveAudience(accounts, body.audience);
      const byReason: Record<string, number> = {};
      for (const e of excluded) byReason[e.reason] = (byReason[e.reason] ?? 0) + 1;
      return {
        statusCode: 200,
        body: {
          targets: targets.length,
          accounts: new Set(targets.map((t) => t.account.id)).size,
          excluded: byReason,
          sample: targets.slice(0, 8).map((t) => ({
            accountName: t.account.name,
            contactName: t.contact.name,
            tier: t.account.derived.tier,
          })),
        },
      };
    }),
    endpoint(r.list, async ({ query }) => ({
      statusCode: 200,
      body: { items: (await campaigns.listCampaigns(query.status)).map(view) },
    })),
    endpoint(r.get, async ({ params }) => ({
      statusCode: 200,
      body: view(await campaigns.requireCampaign(params.id)),
    })),
    endpoint(r.control, async ({ params, body }) => ({
      statusCode: 200,
      body: view(await campaigns.control(params.id, body.action)),
    })),
    endpoint(r.callbacks, async ({ params, query }) => {
      await campaigns.requireCampaign(params.id);
      return { statusCode: 200, body: { items: await campaigns.listCallbacks(params.id, query.state) } };
    }),
    endpoint(r.callback, async ({ params }) => ({
      statusCode: 200,
      body: await campaigns.requireCallback(params.id),
    })),
    endpoint(r.dispose, async ({ params, body }) => ({
      statusCode: 200,
      body: await campaigns.dispose(params.id, body.disposition, body.notes),
    })),
  ],
  { idempotency: new IdempotencyStore(db, env.TABLE_NAME) },
);
