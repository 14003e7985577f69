/**
 * The call centre's teams, one list: the dedicated key-account teams and the segment service
 * groups that the registry's `dedicatedTeam` and `serviceGroup` name, with what agents read. The
 * desktop gets the names through its config.json (local server and deploy alike).
 */
export interface Team {
  id: string;
  kind: 'dedicated' | 'service-group';
  name: { 'zh-CN': string; en: string };
}

export const TEAMS: readonly Team[] = [
  {
    id: 'ka-grain-oil',
    kind: 'dedicated',
    name: { 'zh-CN': '粮油大客户组', en: 'Grain & oil key accounts' },
  },
  {
    id: 'ka-fmcg-national',
    kind: 'dedicated',
    name: { 'zh-CN': '快消全国大客户组', en: 'FMCG national key accounts' },
  },
  {
    id: 'ka-pharma-gsp',
    kind: 'dedicated',
    name: { 'zh-CN': '医药 GSP 大客户组', en: 'Pharma GSP key accounts' },
  },
  {
    id: 'ka-cold-chain',
    kind: 'dedicated',
    name: { 'zh-CN': '冷链大客户组', en: 'Cold-chain key accounts' },
  },
  {
    id: 'ka-electrical',
    kind: 'dedicated',
    name: { 'zh-CN': '电器电工大客户组', en: 'Electrical key accounts' },
  },
  { id: 'fmcg-service', kind: 'service-group', name: { 'zh-CN': '快消服务组', en: 'FMCG service' } },
  { id: 'pharma-service', kind: 'service-group', name: { 'zh-CN': '医药服务组', en: 'Pharma service' } },
  {
    id: 'chemicals-service',
    kind: 'service-group',
    name: { 'zh-CN': '化工服务组', en: 'Chemicals service' },
  },
  {
    id: 'electrical-service',
    kind: 'service-group',
    name: { 'zh-CN': '电器电工服务组', en: 'Electrical service' },
  },
  { id: 'general-service', kind: 'service-group', name: { 'zh-CN': '综合服务组', en: 'General service' } },
];

/** Team id → names, for the desktop's config.json. */
export const teamNames = () => Object.fromEntries(TEAMS.map((t) => [t.id, t.name]));
