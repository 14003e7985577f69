import { CfnHoursOfOperation, CfnQueue, CfnRoutingProfile } from 'aws-cdk-lib/aws-connect';
import { Construct } from 'constructs';
import type { Team, TeamHours } from '#shared/accounts/teams.ts';

export interface ConnectRoutingProps {
  instanceArn: string;
  /** The teams registry (shared/accounts/teams.ts): one queue per team and service group. */
  teams: readonly Team[];
  /** The queue callers Keyline does not know go to; also the profiles' outbound queue. */
  defaultQueue: string;
  /**
   * The hotline's number (its ARN), shown as the caller id of every call the queues place: the
   * dialer's, and an agent's from the CCP. Connect places no outbound call from a queue without one.
   */
  outboundCallerIdNumberArn?: string;
}

const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;

/** `08:30` → { hours: 8, minutes: 30 }; `24:00` is midnight, which Connect reads as the day's end. */
function clock(hhmm: string) {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  return { hours: h % 24, minutes: m };
}

/** A team's hours as Connect's hours-of-operation config, one entry per open day. */
export function hoursConfig(h: TeamHours): CfnHoursOfOperation.HoursOfOperationConfigProperty[] {
  return h.days.map((d) => ({
    day: DAYS[d - 1] ?? 'MONDAY',
    startTime: clock(h.start),
    endTime: clock(h.end),
  }));
}

/**
 * Amazon Connect routing from the teams registry: hours of operation (one per distinct schedule),
 * a queue per dedicated team and service group named by its registry id (the name the screen pop
 * answers), and two routing profiles: key-account agents (their teams' queues first, then the
 * default queue) and general service (the service groups' queues). `queueArns` maps each team id
 * to its queue's ARN for the screen pop.
 */
export class ConnectRouting extends Construct {
  readonly queueArns: Record<string, string> = {};

  constructor(scope: Construct, id: string, props: ConnectRoutingProps) {
    super(scope, id);
    const hours = new Map<string, CfnHoursOfOperation>();
    const hoursFor = (h: TeamHours) => {
      const key = JSON.stringify(h);
      let found = hours.get(key);
      if (!found) {
        const n = hours.size + 1;
        found = new CfnHoursOfOperation(this, `Hours${n}`, {
          instanceArn: props.instanceArn,
          name: `keyline-hours-${n}`,
          description: `${h.days.map((d) => DAYS[d - 1]?.slice(0, 3)).join(' ')} ${h.start}–${h.end}`,
          timeZone: h.timeZone,
          config: hoursConfig(h),
        });
        hours.set(key, found);
      }
      return found;
    };
    const queues = new Map<string, CfnQueue>();
    for (const team of props.teams) {
      const queue = new CfnQueue(this, `Queue-${team.id}`, {
        instanceArn: props.instanceArn,
        name: team.id,
        description: `${team.name['zh-CN']} · ${team.name.en}`,
        hoursOfOperationArn: hoursFor(team.hours).attrHoursOfOperationArn,
        ...(props.outboundCallerIdNumberArn
          ? { outboundCallerConfig: { outboundCallerIdNumberArn: props.outboundCallerIdNumberArn } }
          : {}),
      });
      queues.set(team.id, queue);
      this.queueArns[team.id] = queue.attrQueueArn;
    }
    const fallback = queues.get(props.defaultQueue);
    if (!fallback) throw new Error(`the default queue ${props.defaultQueue} is not a team in the registry`);
    const profile = (name: string, description: string, ids: string[]) =>
      new CfnRoutingProfile(this, `Profile-${name}`, {
        instanceArn: props.instanceArn,
        name: `keyline-${name}`,
        description,
        defaultOutboundQueueArn: fallback.attrQueueArn,
        mediaConcurrencies: [{ channel: 'VOICE', concurrency: 1 }],
        queueConfigs: ids.map((qid) => ({
          delay: 0,
          // Their own queues first; the fallback after them.
          priority: qid === props.defaultQueue ? 2 : 1,
          queueReference: { channel: 'VOICE', queueArn: (queues.get(qid) as CfnQueue).attrQueueArn },
        })),
      });
    const ids = (kind: Team['kind']) => props.teams.filter((t) => t.kind === kind).map((t) => t.id);
    profile('key-account', 'Key-account agents: the dedicated teams’ queues, then general service', [
      ...ids('dedicated'),
      props.defaultQueue,
    ]);
    profile('general-service', 'Service agents: the segment service groups’ queues', [
      ...new Set([...ids('service-group'), props.defaultQueue]),
    ]);
  }
}
