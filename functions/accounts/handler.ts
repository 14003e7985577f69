import { DEFAULT_PHONE_REGION } from '#shared/accounts/phone.ts';
import { phoneIssues } from '#shared/accounts/registry.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { accountFor, summaryFor } from '#shared/accounts/visibility.ts';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { callerNumber } from '#shared/platform/connect/caller.ts';
import { dynamoClient } from '#shared/platform/dynamo/client.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { endpoint, httpHandler } from '#shared/platform/http/handler.ts';
import { HttpIdempotency } from '#shared/platform/http/idempotency.ts';
import { accountRoutes as r } from './routes.ts';

const env = loadEnv(TableEnv);
const accounts = new Accounts(tracedDocumentClient(), env.TABLE_NAME);

type Raw = Record<string, unknown> | undefined;
/** The phone numbers of a refused account body, read in its region (for a 400 naming every field). */
const accountPhones = async (body: unknown) => {
  const raw = body as Raw;
  const region = typeof raw?.phoneRegion === 'string' ? raw.phoneRegion : DEFAULT_PHONE_REGION;
  const contacts = Array.isArray(raw?.contacts) ? raw.contacts : [];
  return contacts.flatMap((c, i) => phoneIssues((c as Raw)?.phones, region, `contacts.${i}.phones`));
};
/** The region a stored account reads numbers in. */
const regionOf = async (id: string | undefined) =>
  (id ? (await accounts.get(id))?.phoneRegion : undefined) ?? DEFAULT_PHONE_REGION;

/**
 * An unknown caller's number as the softphone handed it over (sip:+86…@host, tel:+86…;ext=…) is
 * attached as the number the screen pop read from it; anything else as typed, in the account's region.
 */
const dialled = (number: string) => {
  if (!/^(sip|tel):/i.test(number)) return number;
  const caller = callerNumber(number);
  return caller.kind === 'number' ? caller.e164 : number;
};

/** The key-account registry over HTTP. */
export const handler = httpHandler(
  [
    endpoint(r.list, async ({ query, agent }) => {
      const items = (await accounts.list(query)).map((s) => summaryFor(agent.role, s));
      return { statusCode: 200, body: { items, count: items.length } };
    }),
    endpoint(
      r.create,
      async ({ body }) => {
        const { id, ...input } = body;
        const { account } = await accounts.save(id, input);
        return { statusCode: 201, body: account };
      },
      accountPhones,
    ),
    endpoint(r.get, async ({ params, agent }) => ({
      statusCode: 200,
      body: accountFor(agent.role, await accounts.require(params.id)),
    })),
    endpoint(
      r.put,
      async ({ params, body }) => {
        const { account, outcome } = await accounts.save(params.id, body);
        return { statusCode: outcome === 'created' ? 201 : 200, body: account };
      },
      accountPhones,
    ),
    endpoint(r.listContacts, async ({ params }) => ({
      statusCode: 200,
      body: { items: await accounts.getContacts(params.id) },
    })),
    endpoint(
      r.addContact,
      async ({ params, body }) => ({ statusCode: 201, body: await accounts.addContact(params.id, body) }),
      async (body, params) => phoneIssues((body as Raw)?.phones, await regionOf(params.id), 'phones'),
    ),
    endpoint(r.addPhone, async ({ params, body }) => ({
      statusCode: 200,
      body: await accounts.addPhone(params.id, params.contactId, dialled(body.number), body.label),
    })),
    endpoint(r.review, async ({ params }) => ({ statusCode: 200, body: await accounts.review(params.id) })),
    endpoint(r.decideReview, async ({ params, body, agent }) => ({
      statusCode: 200,
      body: await accounts.decideReview(params.id, body, agent.name),
    })),
    endpoint(r.reviewsDue, async ({ query }) => {
      const now = new Date();
      const until = new Date(now.getTime() + query.withinDays * 86_400_000);
      return { statusCode: 200, body: { items: await accounts.reviewsDue(now, until) } };
    }),
    endpoint(r.creditReviews, async ({ query }) => ({
      statusCode: 200,
      body: { items: await accounts.creditReviews(new Date(), query.withinDays) },
    })),
  ],
  { idempotency: new HttpIdempotency(env.TABLE_NAME, dynamoClient()) },
);
