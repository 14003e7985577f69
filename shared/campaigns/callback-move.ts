/**
 * A callback's move from one state to another as one conditional update: its listing and its
 * place in the due index move with it, and the write holds only from the states (the run's
 * lease, the attempt) the move was decided from.
 */
import { keys } from '../platform/dynamo/keys.ts';
import type { Named } from '../platform/dynamo/transact.ts';
import type { Callback, CallbackState } from './model.ts';

export interface Move {
  to: CallbackState;
  /** Only from these states; no condition when absent. */
  from?: CallbackState[];
  /** Only by the run that holds the lease (and the lease ends with the move). */
  runId?: string;
  /** Or from another run's lease that ran out before this instant (a claim). */
  orLeaseExpiredAt?: string;
  /** Only for this dial attempt. */
  attempt?: number;
  set?: Record<string, unknown>;
  /** Numbers added to (a claim counts itself). */
  add?: Record<string, number>;
  /**
   * Its place in the due index: `{ due }` waiting in its campaign's partition until then,
   * `{ check }` a placed call whose outcome is checked then, `'none'` out of the index;
   * unchanged when absent.
   */
  index?: { due: string } | { check: string } | 'none';
}

export function moveItem(tableName: string, c: Pick<Callback, 'id' | 'campaignId' | 'rank'>, m: Move): Named {
  const set: Record<string, unknown> = {
    gsi1sk: keys.callback.listing(c.campaignId, m.to, c.id).gsi1sk,
    ...m.set,
  };
  const remove = m.runId || m.index === 'none' ? ['leaseUntil', 'claimedBy'] : [];
  if (m.index === 'none') remove.push('gsi2pk', 'gsi2sk');
  else if (m.index && 'due' in m.index)
    Object.assign(set, keys.due.callback(c.id, c.campaignId, m.index.due, c.rank));
  else if (m.index && 'check' in m.index) Object.assign(set, keys.due.callCheck(c.id, m.index.check));
  const names: Record<string, string> = { '#state': 'state' };
  const values: Record<string, unknown> = { ':to': m.to };
  const additions = Object.entries(m.add ?? {}).map(([k, v], i) => {
    names[`#n${i}`] = k;
    values[`:n${i}`] = v;
    return `#n${i} :n${i}`;
  });
  const assignments = [
    '#state = :to',
    ...Object.entries(set).map(([k, v], i) => {
      names[`#a${i}`] = k;
      values[`:a${i}`] = v;
      return `#a${i} = :a${i}`;
    }),
  ];
  const conditions: string[] = [];
  if (m.from) {
    m.from.forEach((f, i) => {
      values[`:f${i}`] = f;
    });
    conditions.push(`#state IN (${m.from.map((_, i) => `:f${i}`).join(', ')})`);
  }
  if (m.runId) {
    values[':run'] = m.runId;
    conditions.push('claimedBy = :run');
  }
  if (m.attempt !== undefined) {
    values[':attempt'] = m.attempt;
    conditions.push('attempts = :attempt');
  }
  let condition = conditions.join(' AND ');
  if (m.orLeaseExpiredAt) {
    values[':dialing'] = 'dialing';
    values[':leaseNow'] = m.orLeaseExpiredAt;
    condition = `(${condition}) OR (#state = :dialing AND leaseUntil < :leaseNow)`;
  }
  return {
    name: 'callback',
    Update: {
      TableName: tableName,
      Key: keys.callback.item(c.id),
      UpdateExpression:
        `SET ${assignments.join(', ')}` +
        (additions.length ? ` ADD ${additions.join(', ')}` : '') +
        (remove.length ? ` REMOVE ${remove.join(', ')}` : ''),
      ...(condition ? { ConditionExpression: condition } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}
