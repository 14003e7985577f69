import { marshall } from '@aws-sdk/util-dynamodb';

/**
 * Whether a Lambda event-filter pattern (the equality and `anything-but`-free subset the stack
 * uses: arrays of allowed values, nested objects) matches a DynamoDB stream record built from an
 * item as the table stores it: what the event source mapping would pass to the function.
 */
export function filterMatches(pattern: unknown, eventName: string, item: Record<string, unknown>): boolean {
  const record = {
    eventName,
    dynamodb: { NewImage: marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: true }) },
  };
  return matches(pattern, record);
}

function matches(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some((p) => (typeof p === 'object' ? false : p === value));
  if (pattern && typeof pattern === 'object') {
    if (!value || typeof value !== 'object') return false;
    return Object.entries(pattern).every(([k, p]) => matches(p, (value as Record<string, unknown>)[k]));
  }
  return pattern === value;
}
