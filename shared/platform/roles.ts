/**
 * Who may see and do what. Three roles, each a Cognito group in AWS (a role switch in the local
 * stack): agents take calls; team leads also watch the service (analytics, campaigns); key-account
 * managers also see and decide the accounts' economics (value, profit, share of wallet, CLV,
 * credit) and the portfolio. The API enforces it: a route names the roles that may call it, and
 * an account leaves the API without its economics for anyone but a manager.
 */
export const ROLES = ['agent', 'team-lead', 'account-manager'] as const;
export type Role = (typeof ROLES)[number];

/** The Cognito group of each role (the user pool creates them; an administrator assigns users). */
export const ROLE_GROUPS: Record<Role, string> = {
  agent: 'agents',
  'team-lead': 'team-leads',
  'account-manager': 'account-managers',
};

const RANK: Record<Role, number> = { agent: 0, 'team-lead': 1, 'account-manager': 2 };

/**
 * The groups claim as API Gateway hands it over: an HTTP API's JWT authorizer flattens an array
 * claim into one string, `[team-leads agents]`; a REST authorizer or a test may pass the array.
 */
export function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .map((g) => g.replace(/^"|"$/g, ''))
    .filter(Boolean);
}

/**
 * A user's role: the highest of their groups. A user in no known group is an agent, the least
 * privileged role, never a manager by default.
 */
export function roleOf(groups: readonly string[]): Role {
  let role: Role = 'agent';
  for (const r of ROLES) if (groups.includes(ROLE_GROUPS[r]) && RANK[r] > RANK[role]) role = r;
  return role;
}

/** The roles from `least` upwards: `atLeast('team-lead')` → team leads and managers. */
export const atLeast = (least: Role): Role[] => ROLES.filter((r) => RANK[r] >= RANK[least]);

/** What a role may see, for the desktop to lay out its views (the API enforces the same). */
export function capabilitiesOf(role: Role) {
  return {
    economics: role === 'account-manager',
    portfolio: role === 'account-manager',
    analytics: RANK[role] >= RANK['team-lead'],
    editAccounts: role === 'account-manager',
  };
}
