import type { Accounts } from '#shared/accounts/service.ts';
import type { Complaints } from '#shared/complaints/service.ts';
import { demoWaybill } from './shipments.ts';

const MIN = 60_000;

/**
 * A few complaints in every state, dated relative to now: one breached and escalated-to-be, one
 * at risk, one resolved awaiting its follow-up call, and a closed history for the metrics.
 * Skipped when the book already has unresolved complaints.
 */
export async function loadDemoComplaints(
  complaints: Complaints,
  accounts: Accounts,
  now = new Date(),
): Promise<number> {
  if ((await complaints.listUnresolved()).length > 0) return 0;
  const plan = [
    {
      accountId: 'acc-meilian-appliances',
      contactId: 'meilian-deng',
      category: 'damage',
      severity: 'critical',
      agoMin: 45,
      steps: [],
      waybill: demoWaybill(4, 0),
      text: '空调外箱破损，门店拒收两台。',
    },
    {
      accountId: 'acc-kangtai-pharma',
      contactId: 'kangtai-yang',
      category: 'delay',
      severity: 'high',
      agoMin: 50,
      steps: ['acknowledged'],
      waybill: demoWaybill(3, 0),
      text: '冷链车辆故障，疫苗到货时间不确定，医院在催。',
    },
    {
      accountId: 'acc-alpina-chocolate',
      contactId: 'alpina-mueller',
      category: 'delay',
      severity: 'medium',
      agoMin: 600,
      steps: ['acknowledged', 'in-progress', 'resolved'],
      waybill: demoWaybill(1, 0),
      text: 'Shipment to Hangzhou arrived a day late; store promotion missed.',
    },
    {
      accountId: 'acc-jinhe-grain',
      contactId: 'jinhe-sun',
      category: 'short-shipment',
      severity: 'medium',
      agoMin: 20 * 24 * 60,
      steps: ['acknowledged', 'resolved', 'closed'],
      waybill: demoWaybill(0, 3, true),
      text: '华东仓收货少了 12 箱。',
    },
    {
      accountId: 'acc-jinhe-grain',
      contactId: 'jinhe-zhao',
      category: 'billing',
      severity: 'low',
      agoMin: 40 * 24 * 60,
      steps: ['acknowledged', 'in-progress', 'resolved', 'closed'],
      waybill: undefined,
      text: '10 月运费账单重复计费。',
    },
  ] as const;
  let created = 0;
  for (const p of plan) {
    const account = await accounts.get(p.accountId);
    if (!account) continue;
    const at = new Date(now.getTime() - p.agoMin * MIN);
    const { complaint } = await complaints.create(
      {
        accountId: p.accountId,
        contactId: p.contactId,
        waybills: p.waybill ? [p.waybill] : [],
        category: p.category,
        severity: p.severity,
        channel: 'agent-phone',
        description: p.text,
        owner: account.dedicatedRep ?? account.accountManager,
        team: account.dedicatedTeam ?? account.serviceGroup,
      },
      account,
      'demo',
      { now: at },
    );
    let version = 1;
    for (const [i, to] of p.steps.entries()) {
      await complaints.transition(complaint.id, to, {
        version,
        by: 'demo',
        now: new Date(at.getTime() + (i + 1) * 20 * MIN),
      });
      version++;
    }
    created++;
  }
  return created;
}
