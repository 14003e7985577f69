/**
 * The daily report's outcome lines share the account's notification log with the delay alerts
 * (shipments/report.ts). The analytics stream must not count a report email as a delay alert:
 * the cockpit's weekly "alerts" would grow by one per report recipient per day.
 */
import { describe, expect, it } from 'vitest';
import { factsOf } from '#shared/analytics/facts.ts';
import type { NotificationRecord } from '#shared/notify/model.ts';
import { NotificationEntity } from '#shared/notify/repo.ts';

const line = (over: Partial<NotificationRecord>): NotificationRecord => ({
  id: '01JREPORT000000000000000001',
  at: '2026-11-23T22:00:00.000Z',
  accountId: 'acc-jinhe-grain',
  waybill: 'SF1000000001',
  severity: 'critical',
  channel: 'email',
  recipient: 'ops@jinhe.example',
  contactName: 'Wang Li',
  status: 'sent',
  ...over,
});

describe('notification log facts', () => {
  it('counts a sent delay alert as an alert', () => {
    const facts = factsOf(NotificationEntity.toItem(line({})) as never);
    expect(facts.map((f) => f.add)).toEqual([{ alerts: 1, alert_email: 1 }]);
  });

  it("does not count the daily report's sent line as a delay alert", () => {
    const report = line({ kind: 'daily-report', waybill: '', severity: '' });
    expect(factsOf(NotificationEntity.toItem(report) as never)).toEqual([]);
  });
});
