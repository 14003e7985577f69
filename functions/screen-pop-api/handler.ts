import { complaintOptionsFromEnv } from '#shared/complaints/config.ts';
import { loadEnv, TableEnv } from '#shared/config/env.ts';
import { normalizePhone } from '#shared/domain/phone.ts';
import { NotFoundError, ValidationError } from '#shared/errors.ts';
import { endpoint, httpHandler } from '#shared/http/handler.ts';
import { accountCard, type CardDeps, phoneCard } from '#shared/screen-pop/card.ts';
import { AccountStore } from '#shared/store/accounts.ts';
import { CallerDirectory } from '#shared/store/caller-directory.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { ComplaintStore } from '#shared/store/complaints.ts';
import { ShipmentStore } from '#shared/store/shipments.ts';
import { screenPopRoutes as r } from './routes.ts';

const env = loadEnv(TableEnv);
const db = createDocumentClient();
const options = complaintOptionsFromEnv();
const deps: CardDeps = {
  accounts: new AccountStore(db, env.TABLE_NAME),
  shipments: new ShipmentStore(db, env.TABLE_NAME),
  directory: new CallerDirectory(db, env.TABLE_NAME),
  complaints: new ComplaintStore(db, env.TABLE_NAME, options),
  reopenWindowMinutes: options.reopenWindowMinutes ?? 0,
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
