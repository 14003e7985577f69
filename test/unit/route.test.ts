import { describe, expect, it } from 'vitest';
import { matchRoute } from '#shared/platform/http/route.ts';

const routes = [
  { method: 'GET', path: '/accounts' },
  { method: 'GET', path: '/accounts/{id}' },
  { method: 'POST', path: '/accounts/{id}/contacts' },
] as const;

describe('matchRoute', () => {
  it('extracts and decodes path parameters', () => {
    expect(matchRoute(routes, 'GET', '/accounts/acc-x%2Dy')).toEqual({
      route: routes[1],
      params: { id: 'acc-x-y' },
    });
  });

  it('matches on method and segment count', () => {
    expect(matchRoute(routes, 'POST', '/accounts/a1/contacts')?.route).toBe(routes[2]);
    expect(matchRoute(routes, 'DELETE', '/accounts/a1')).toBeUndefined();
    expect(matchRoute(routes, 'GET', '/accounts/a1/other')).toBeUndefined();
  });
});
