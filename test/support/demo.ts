import { loadDemoHistory } from '#local/demo/history.ts';
import { loadDemoData, loadDemoShipments } from '#local/demo/load.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { WeeklyAggregates } from '#shared/analytics/aggregates.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { TABLE_NAME } from './fixtures.ts';

/** Loads the demo book and shipments into this test file's table, through the real stores. */
export async function loadDemo(now = new Date()) {
  const db = createDocumentClient();
  await loadDemoData(new Accounts(db, TABLE_NAME()), now);
  await loadDemoShipments(new Shipments(db, TABLE_NAME()), now);
  db.destroy();
}

/** Loads the demo book's half year of weekly aggregates (the cockpit's and the churn score's history). */
export async function loadHistory(now = new Date()) {
  const db = createDocumentClient();
  const n = await loadDemoHistory(new WeeklyAggregates(db, TABLE_NAME()), now);
  db.destroy();
  return n;
}
