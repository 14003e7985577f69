import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every JavaScript file under web/, recursively. */
async function webFiles(dir = 'web'): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? webFiles(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]),
    ),
  );
  return nested.flat().filter((f) => f.endsWith('.js'));
}

describe('the desktop’s files', () => {
  it('keeps every web/ module under 400 lines', async () => {
    const long: string[] = [];
    for (const f of await webFiles()) {
      const lines = (await readFile(f, 'utf8')).split('\n').length;
      if (lines > 400) long.push(`${f}: ${lines}`);
    }
    expect(long).toEqual([]);
  });
});

describe('the desktop’s catalog', () => {
  it('labels exactly the domain’s values, in both languages, so no web/ module keeps a copy', async () => {
    // The catalog is plain browser JavaScript without types: loaded by URL.
    const web = (f: string) =>
      import(/* @vite-ignore */ new URL(`../../web/i18n/${f}`, import.meta.url).href);
    const [{ EN }, { ZH }] = await Promise.all([web('en.js'), web('zh-CN.js')]);
    const { TIERS, QUADRANTS, POSITIONS, SERVICE_MODES, MODE_REASONS } = await import(
      '#shared/accounts/prioritization.ts'
    );
    const { SEGMENTS } = await import('#shared/accounts/model.ts');
    const { CAMPAIGN_TYPES, CAMPAIGN_STATUSES, DISPOSITIONS } = await import('#shared/campaigns/model.ts');
    const { SKIP_REASONS } = await import('#shared/campaigns/consent.ts');
    const { COMPLAINT_CATEGORIES, COMPLAINT_STATUSES } = await import('#shared/complaints/model.ts');
    const { COMPLAINT_SEVERITIES } = await import('#shared/complaints/sla.ts');
    const { CALL_OUTCOMES } = await import('#shared/inbound/journal.ts');
    const domain: Record<string, readonly string[]> = {
      tiers: TIERS,
      quadrants: QUADRANTS,
      positions: POSITIONS,
      serviceModes: SERVICE_MODES,
      modeReasons: MODE_REASONS,
      reviewConflicts: (await import('#shared/accounts/review.ts')).REVIEW_CONFLICTS,
      remedies: (await import('#shared/shipments/remedies.ts')).REMEDIES,
      creditStates: (await import('#shared/accounts/credit.ts')).CREDIT_STATES,
      audiences: (await import('#shared/shipments/playbooks.ts')).AUDIENCES,
      segments: SEGMENTS,
      campaignTypes: CAMPAIGN_TYPES,
      campaignStatuses: CAMPAIGN_STATUSES,
      dispositions: DISPOSITIONS,
      skipReasons: SKIP_REASONS,
      categories: COMPLAINT_CATEGORIES,
      statuses: COMPLAINT_STATUSES,
      severities: COMPLAINT_SEVERITIES,
      callOutcomes: CALL_OUTCOMES,
    };
    for (const [key, values] of Object.entries(domain)) {
      // The catalog's order is the desktop's (critical first); the set is the domain's.
      expect({ key, en: Object.keys(EN[key]).sort() }).toEqual({ key, en: [...values].sort() });
      expect({ key, zh: Object.keys(ZH[key]).sort() }).toEqual({ key, zh: [...values].sort() });
    }
    // And no module declares its own list of them.
    const copies: string[] = [];
    for (const f of await webFiles())
      if (/const (TIERS|SEGMENTS|TYPES|DISPOSITIONS|CATEGORIES|SEVERITIES)\b/.test(await readFile(f, 'utf8')))
        copies.push(f);
    expect(copies).toEqual([]);
  });
});
