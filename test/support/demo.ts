import { loadDemoData, loadDemoShipments } from '#local/demo/load.ts';
import { AccountStore } from '#shared/store/accounts.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { ShipmentStore } from '#shared/store/shipments.ts';
import { TABLE_NAME } from './fixtures.ts';

/** Loads the demo book and shipments into this test file's table, through the real stores. */
export async function loadDemo(now = new Date()) {
  const db = createDocumentClient();
  await loadDemoData(new AccountStore(db, TABLE_NAME()));
  await loadDemoShipments(new ShipmentStore(db, TABLE_NAME()), now);
  db.destroy();
}
