/**
 * The single table, defined once. The CDK stack (infra/constructs/data-table.ts) and the local
 * stack (local/dynamodb.ts, the integration tests) both build their table from this object.
 */
export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
  /** The non-key attributes the index carries (INCLUDE); every attribute (ALL) when absent. */
  projection?: readonly string[];
  /** Sparse: only items that carry the partition-key attribute appear in the index. */
  purpose: string;
}

/**
 * The counters an account's counts index (gsi3) carries: the only attributes a read of an
 * account's live counts needs, so a Query of it reads a few bytes per counted item.
 */
export const COUNTER_ATTRIBUTES = ['openComplaints', 'delayedShipments', 'inTransitShipments'] as const;

/** The counts index, named here so its readers need not find it in the list. */
export const COUNTS_INDEX = {
  name: 'gsi3',
  partitionKey: 'gsi3pk',
  sortKey: 'gsi3sk',
  projection: COUNTER_ATTRIBUTES,
  purpose:
    'an account’s live counts: its counter shards and its unresolved complaints (each counts itself), summed from one Query',
} as const satisfies IndexDefinition;

export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  indexes: [
    {
      name: 'gsi1',
      partitionKey: 'gsi1pk',
      sortKey: 'gsi1sk',
      purpose:
        'listings: accounts by segment and tier, an account’s complaints, shipments and callbacks by state',
    },
    {
      name: 'gsi2',
      partitionKey: 'gsi2pk',
      sortKey: 'gsi2sk',
      purpose:
        'sparse “due” index, sharded: complaints by SLA due time, callbacks due, shipments by next milestone',
    },
    COUNTS_INDEX,
  ] satisfies IndexDefinition[],
} as const;

export type IndexName = (typeof TABLE.indexes)[number]['name'];

/** CreateTable input for DynamoDB Local and tests, from the same definition as the CDK table. */
export function createTableInput(tableName: string) {
  const attributes = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const ix of TABLE.indexes) {
    attributes.add(ix.partitionKey);
    attributes.add(ix.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attributes].map((name) => ({
      AttributeName: name,
      AttributeType: 'S' as const,
    })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: TABLE.indexes.map((ix) => ({
      IndexName: ix.name,
      KeySchema: [
        { AttributeName: ix.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: ix.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection:
        'projection' in ix && ix.projection
          ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...ix.projection] }
          : { ProjectionType: 'ALL' as const },
    })),
  };
}
