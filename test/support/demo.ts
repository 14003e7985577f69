import { loadDemoData, loadDemoShipments } from '#local/demo/load.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { TABLE_NAME } from './fixtures.ts';

/** Loads the demo book and shipments into this test file's table, through the real stores. */
export async function loadDemo(now = new Date()) {
  const db = createDocumentClient();
  await loadDemoData(new Accounts(db, TABLE_NAME()));
  await loadDemoShipments(new Shipments(db, TABLE_NAME()), now);
  db.destroy();
}
