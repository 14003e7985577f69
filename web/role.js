// The desktop's role: from the signed-in user's Cognito groups in AWS, from the role switch in the
// local stack. It only lays out the views; the API enforces the same rules (shared/platform/roles.ts).
export const ROLES = ['agent', 'team-lead', 'account-manager'];
const GROUPS = { agents: 'agent', 'team-leads': 'team-lead', 'account-managers': 'account-manager' };
const KEY = 'keyline.role';

/** The highest role among the ID token's groups; an agent without one. */
export function roleFromToken(token) {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    const roles = (payload['cognito:groups'] ?? []).map((g) => GROUPS[g]).filter(Boolean);
    return ROLES.filter((r) => roles.includes(r)).pop() ?? 'agent';
  } catch {
    return 'agent';
  }
}

/** The role to start with: the token's in AWS, the last one switched to locally (a manager at first). */
export function initialRole(config, token) {
  if (config.mode !== 'local') return token ? roleFromToken(token) : 'agent';
  const saved = localStorage.getItem(KEY);
  return ROLES.includes(saved) ? saved : 'account-manager';
}

/** What the role may see and do. */
export const can = (role) => ({
  economics: role === 'account-manager',
  portfolio: role === 'account-manager',
  campaigns: role !== 'agent',
  analytics: role !== 'agent',
});

/** The local role switch in the header; hidden where the token decides. */
export function mountRoleSwitch(select, state, t, onChange) {
  select.hidden = state.config.mode !== 'local';
  select.previousElementSibling.hidden = select.hidden;
  const fill = () => {
    select.replaceChildren(
      ...ROLES.map((r) => {
        const o = document.createElement('option');
        o.value = r;
        o.textContent = t().roles[r];
        return o;
      }),
    );
    select.value = state.role;
  };
  fill();
  select.onchange = () => {
    state.role = select.value;
    localStorage.setItem(KEY, state.role);
    onChange();
  };
  return fill;
}
