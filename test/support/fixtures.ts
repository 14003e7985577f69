import type * as z from 'zod';
import type { LocalSqs } from '#local/sqs.ts';
import type { AccountInput } from '#shared/accounts/model.ts';

/** A valid account body as a client would send it; override what a test varies. */
export function accountBody(
  overrides: Partial<z.input<typeof AccountInput>> = {},
): z.input<typeof AccountInput> {
  return {
    name: '金禾粮油集团',
    nameEn: 'Jinhe Grain & Oil Group',
    segment: 'fmcg',
    regions: ['华北', '华东'],
    serviceGroup: 'fmcg-service',
    accountManager: '王建国',
    dedicatedRep: '李晓雯',
    onTimeCommitment: 0.98,
    economics: {
      accountValue: 38_000_000,
      potentialValue: 60_000_000,
      shareOfWallet: 0.55,
      relationshipStrength: 0.85,
      currentMargin: 4_100_000,
      potentialMargin: 6_500_000,
      averageTransactionValue: 18_000,
      yearlyFrequency: 2_100,
      expectedLifetimeYears: 8,
    },
    contacts: [
      {
        name: '赵敏',
        role: '物流总监',
        phones: [{ number: '138 0013 8000', label: 'mobile' }],
        email: 'zhao.min@jinhe.example.cn',
        consent: { calls: true, sms: true, email: true },
      },
    ],
    ...overrides,
  };
}

export const TABLE_NAME = () => {
  const name = process.env.TABLE_NAME;
  if (!name) throw new Error('TABLE_NAME is not set: is the integration setup file loaded?');
  return name;
};

/** This test file's IVR hand-off queue (a local SQS endpoint started by the integration setup). */
export const HANDOFF_QUEUE = (): LocalSqs => {
  const q = (globalThis as { __handoffQueue?: LocalSqs }).__handoffQueue;
  if (!q) throw new Error('no hand-off queue: is the integration setup file loaded?');
  return q;
};
