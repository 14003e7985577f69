/**
 * The one-off migration of the phone lookup items written before they kept the contact's zone
 * (`timeZone`, a593ae0): kept apart from lookup.ts, which the screen pop bundles.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { type MigrationOptions, type MigrationProgress, runMigration } from '../platform/dynamo/migration.ts';
import { callZone } from './model.ts';
import { AccountRepo } from './repo.ts';

/**
 * Gives each phone lookup item without a zone the one its contact is told times in (callZone for
 * that number, as phoneLookupOf writes it), so that the IVR speaks an owner's ETA in the zone of
 * their alerts, not the number's guess: run once on a table from before it (`keyline migrate
 * lookup-zones`). An account save that changes nothing (a re-import of the same file) does not
 * rewrite its lookups, so without it they keep the number's zone. Idempotent; an item whose
 * account or contact is gone, or that was rewritten or removed meanwhile, is left alone.
 */
export function backfillLookupZones(
  db: DocumentClient,
  tableName: string,
  onPage?: (progress: MigrationProgress) => void,
  o: MigrationOptions = {},
): Promise<MigrationProgress> {
  // An account's numbers are several lookup items: its profile is read once per run, not per number.
  const read = new Map<string, ReturnType<AccountRepo['get']>>();
  const accountOf = (repo: AccountRepo, id: string) => {
    const known = read.get(id);
    if (known) return known;
    const reading = repo.get(id);
    read.set(id, reading);
    return reading;
  };
  return runMigration(
    db,
    tableName,
    {
      filter: 'begins_with(pk, :phone) AND attribute_not_exists(#z)',
      names: { '#z': 'timeZone' },
      projection: 'pk, sk, accountId, contactId',
      values: { ':phone': keys.phone.partition('') },
      write: async (db, TableName, item) => {
        // Read as the registry reads it (contacts in the profile, or in their own items from before).
        const account = await accountOf(new AccountRepo(db, TableName), String(item.accountId));
        const contact = account?.contacts.find((c) => c.id === item.contactId);
        if (!account || !contact) return undefined;
        const e164 = String(item.pk).slice(keys.phone.partition('').length);
        return db.send(
          new UpdateCommand({
            TableName,
            Key: { pk: String(item.pk), sk: String(item.sk) },
            UpdateExpression: 'SET #z = :z',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#z)',
            ExpressionAttributeNames: { '#z': 'timeZone' },
            ExpressionAttributeValues: { ':z': callZone(contact, account.timeZone, e164) },
          }),
        );
      },
    },
    onPage,
    o,
  );
}
