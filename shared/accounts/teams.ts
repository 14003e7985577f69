/**
 * The call centre's teams, one list: the dedicated key-account teams and the segment service
 * groups that the registry's `dedicatedTeam` and `serviceGroup` name, with what agents read and
 * when each takes calls. The desktop gets the names through its config.json (local server and
 * deploy alike); the stack makes an Amazon Connect queue, hours of operation and routing profiles
 * from the same list (infra/constructs/connect-routing.ts), so routing never drifts from it.
 */
/** When a team takes calls: days (1 Monday … 7 Sunday) and local times in its time zone. */
export interface TeamHours {
  timeZone: string;
  days: readonly number[];
  /** HH:MM; `00:00`–`24:00` is the whole day. */
  start: string;
  end: string;
}

export interface Team {
  id: string;
  kind: 'dedicated' | 'service-group';
  name: { 'zh-CN': string; en: string };
  hours: TeamHours;
}

/** Key-account teams: every day, 08:00–22:00 Beijing time. */
const KEY_ACCOUNT_HOURS: TeamHours = {
  timeZone: 'Asia/Shanghai',
  days: [1, 2, 3, 4, 5, 6, 7],
  start: '08:00',
  end: '22:00',
};
/** Segment service groups: Monday–Saturday, 08:30–18:00. */
const SERVICE_HOURS: TeamHours = {
  timeZone: 'Asia/Shanghai',
  days: [1, 2, 3, 4, 5, 6],
  start: '08:30',
  end: '18:00',
};
/** The general line never closes: it takes what the others cannot. */
const ALWAYS: TeamHours = {
  timeZone: 'Asia/Shanghai',
  days: [1, 2, 3, 4, 5, 6, 7],
  start: '00:00',
  end: '24:00',
};

export const TEAMS: readonly Team[] = [
  {
    id: 'ka-grain-oil',
    kind: 'dedicated',
    name: { 'zh-CN': '粮油大客户组', en: 'Grain & oil key accounts' },
    hours: KEY_ACCOUNT_HOURS,
  },
  {
    id: 'ka-fmcg-national',
    kind: 'dedicated',
    name: { 'zh-CN': '快消全国大客户组', en: 'FMCG national key accounts' },
    hours: KEY_ACCOUNT_HOURS,
  },
  {
    id: 'ka-pharma-gsp',
    kind: 'dedicated',
    name: { 'zh-CN': '医药 GSP 大客户组', en: 'Pharma GSP key accounts' },
    hours: KEY_ACCOUNT_HOURS,
  },
  {
    id: 'ka-cold-chain',
    kind: 'dedicated',
    name: { 'zh-CN': '冷链大客户组', en: 'Cold-chain key accounts' },
    hours: KEY_ACCOUNT_HOURS,
  },
  {
    id: 'ka-electrical',
    kind: 'dedicated',
    name: { 'zh-CN': '电器电工大客户组', en: 'Electrical key accounts' },
    hours: KEY_ACCOUNT_HOURS,
  },
  {
    id: 'fmcg-service',
    kind: 'service-group',
    name: { 'zh-CN': '快消服务组', en: 'FMCG service' },
    hours: SERVICE_HOURS,
  },
  {
    id: 'pharma-service',
    kind: 'service-group',
    name: { 'zh-CN': '医药服务组', en: 'Pharma service' },
    hours: SERVICE_HOURS,
  },
  {
    id: 'chemicals-service',
    kind: 'service-group',
    name: { 'zh-CN': '化工服务组', en: 'Chemicals service' },
    hours: SERVICE_HOURS,
  },
  {
    id: 'electrical-service',
    kind: 'service-group',
    name: { 'zh-CN': '电器电工服务组', en: 'Electrical service' },
    hours: SERVICE_HOURS,
  },
  {
    id: 'general-service',
    kind: 'service-group',
    name: { 'zh-CN': '综合服务组', en: 'General service' },
    hours: ALWAYS,
  },
];

/** Team id → names and kind, for the desktop's config.json (the review offers the dedicated teams). */
export const teamNames = () => Object.fromEntries(TEAMS.map((t) => [t.id, { ...t.name, kind: t.kind }]));

/** The dedicated teams' ids: an account's `dedicatedTeam` is one of them. */
export const DEDICATED_TEAM_IDS: readonly string[] = TEAMS.filter((t) => t.kind === 'dedicated').map(
  (t) => t.id,
);
