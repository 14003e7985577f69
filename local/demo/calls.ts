import { type CallEnding, simulateInboundCall } from '../call-simulator.ts';

/**
 * The demo's caller journal: a few calls through the real screen pop and contact events, so the
 * desktop opens with missed and abandoned calls to call back and an answered one below them.
 */
const DEMO_CALLS: { from: string; ending: CallEnding }[] = [
  { from: '+8613910012001', ending: 'answered' },
  { from: '+8613311009001', ending: 'missed' },
  { from: '+8613700000000', ending: 'abandoned' },
  { from: '+41446681800', ending: 'abandoned' },
];

export async function loadDemoCalls(): Promise<number> {
  for (const c of DEMO_CALLS) await simulateInboundCall(c.from, {}, c.ending);
  return DEMO_CALLS.length;
}
