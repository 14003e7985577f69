import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  ProjectionType,
  StreamViewType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE } from '#shared/platform/dynamo/table.ts';

export interface DataTableProps {
  /** Production keeps the table on stack deletion and turns on deletion protection. */
  prod: boolean;
}

/** The single table, built from shared/store/table.ts, the same definition the local stack uses. */
export class DataTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: DataTableProps) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE.ttlAttribute,
      // The delay outbox is published from the stream (new images of Outbox items only).
      dynamoStream: StreamViewType.NEW_IMAGE,
      deletionProtection: props.prod,
      removalPolicy: props.prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      globalSecondaryIndexes: TABLE.indexes.map((ix) => ({
        indexName: ix.name,
        partitionKey: { name: ix.partitionKey, type: AttributeType.STRING },
        sortKey: { name: ix.sortKey, type: AttributeType.STRING },
        ...('projection' in ix && ix.projection
          ? { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...ix.projection] }
          : {}),
      })),
    });
  }
}
