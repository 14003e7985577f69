/**
 * A double submit of one complaint (the same Idempotency-Key twice at once) on DynamoDB proper:
 * the second transaction can be cancelled as contended (TransactionConflict) rather than on the
 * key's condition. It must answer the complaint the first copy filed, not a 500. DynamoDB Local
 * serialises the two, so the contention is injected on the second write.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccountInput } from '#shared/accounts/model.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { ComplaintRepo } from '#shared/complaints/repo.ts';
import { Complaints } from '#shared/complaints/service.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { TransactionCancelled } from '#shared/platform/dynamo/transact.ts';
import { accountBody, TABLE_NAME } from '../support/fixtures.ts';

afterEach(() => vi.restoreAllMocks());

describe('a complaint filed twice at once under one key', () => {
  it('answers the copy that lost to contention with the complaint the other filed', async () => {
    const db = createDocumentClient();
    const accounts = new Accounts(db, TABLE_NAME());
    await accounts.save('acc-contended', AccountInput.parse(accountBody()));
    const account = await accounts.require('acc-contended');
    const store = new Complaints(db, TABLE_NAME(), new Campaigns(db, TABLE_NAME()));
    const input = {
      accountId: 'acc-contended',
      waybills: [],
      category: 'damage' as const,
      severity: 'high' as const,
      channel: 'agent-phone' as const,
      description: '外箱破损，双击提交',
    };
    const key = 'agent:a1:double-click-0001';
    const first = await store.create(input, account, 'a1', { requestKey: key });
    // The second copy's transaction met the first one's: cancelled as contended, no condition named.
    vi.spyOn(ComplaintRepo.prototype, 'write').mockRejectedValueOnce(new TransactionCancelled([], true));
    const second = await store.create(input, account, 'a1', { requestKey: key });
    expect(second).toEqual({
      complaint: expect.objectContaining({ id: first.complaint.id }),
      created: false,
    });
    expect((await store.listByAccount('acc-contended')).map((c) => c.id)).toEqual([first.complaint.id]);
  });
});
