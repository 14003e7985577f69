import { normalizePhone } from '#shared/accounts/phone.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { complaintPolicyFromEnv } from '#shared/complaints/config.ts';
import { Complaints } from '#shared/complaints/service.ts';
import { accountCard, type CardDeps, phoneCard } from '#shared/inbound/card.ts';
import { CallLog } from '#shared/inbound/directory.ts';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';
import { tracedDocumentClient } from '#shared/platform/dynamo/traced-client.ts';
import { NotFoundError, ValidationError } from '#shared/platform/errors.ts';
import { endpoint, httpHandler } from '#shared/platform/http/handler.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { screenPopRoutes as r } from './routes.ts';

const env = loadEnv(TableEnv);
const db = tracedDocumentClient();
const deps: CardDeps = {
  accounts: new Accounts(db, env.TABLE_NAME),
  shipments: new Shipments(db, env.TABLE_NAME),
  calls: new CallLog(db, env.TABLE_NAME),
  complaints: new Complaints(db, env.TABLE_NAME, new Campaigns(db, env.TABLE_NAME), complaintPolicyFromEnv()),
};

function e164(phone: string): string {
  const n = normalizePhone(phone);
  if (!n.ok) throw new ValidationError([{ path: 'query.phone', message: n.reason }]);
  return n.e164;
}

/** The agent desktop's screen-pop card: account, contact, KPIs, shipments, calls, next actions. */
export const handler = httpHandler([
  endpoint(r.byPhone, async ({ query }) => ({
    statusCode: 200,
    body: await phoneCard(deps, e164(query.phone)),
  })),
  endpoint(r.byAccount, async ({ params, query }) => {
    const card = await accountCard(deps, params.id, query.phone ? e164(query.phone) : undefined);
    if (!card) throw new NotFoundError('Account', params.id);
    return { statusCode: 200, body: card };
  }),
]);
