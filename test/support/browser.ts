import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];

/** Launches the system's headless Chromium (Debian's package); no browser download is involved. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = CANDIDATES.find((p): p is string => Boolean(p && existsSync(p)));
  if (!executablePath) {
    throw new Error(
      'No Chromium found. Install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.',
    );
  }
  warnWithoutCjkFont();
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

let warned = false;

/**
 * Without a CJK font, headless Chromium draws every Chinese glyph as a box: the tests still pass
 * (they read text, not pixels), but the screenshots are useless. Say so once, with the fix.
 */
function warnWithoutCjkFont() {
  if (warned) return;
  warned = true;
  const r = spawnSync('fc-list', [':lang=zh'], { encoding: 'utf8' });
  if (r.status === 0 && r.stdout.trim()) return;
  console.warn(
    'No CJK font found (fc-list :lang=zh): Chinese text in the desktop screenshots will show as boxes. ' +
      'Install one: sudo apt-get install -y fonts-noto-cjk (or fonts-wqy-microhei).',
  );
}
