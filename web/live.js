// One live feed for the desktop's panels: GET /desk every few seconds (paused while the tab is
// hidden) answers the complaints, campaigns and caller journal with a tag each, and only the
// sections whose tag changed carry items; only those panels are redrawn, so a form being typed in
// or a focused button is left alone. Locally, /local/feed adds the simulators' outbox, dials and
// escalation events the same way: two requests per tick instead of seven.

import { el, fmtTime } from './dom.js';

const SECTIONS = ['complaints', 'campaigns', 'calls'];

/**
 * A live panel's line while the feed fails: since when it is offline (what the panel shows is as
 * of then). `state.desk.offlineSince` is set by the first failed tick, dropped by the next answer.
 */
export function offlineNote(state, t, lang) {
  const since = state.desk?.offlineSince;
  return since
    ? el(
        'p',
        { class: 'error', role: 'alert', 'data-offline': since },
        t.liveOffline(fmtTime(since, lang, false)),
      )
    : null;
}

/**
 * `query()` gives the complaint filter's query (owner, team, sla); `render(changed)` redraws the
 * named panels from `state.desk`. Answers `refresh(section?)`: fetch now, `section` (or all)
 * redrawn whatever its tag.
 */
export function startLive({ api, state, query, render, everyMs = 3000 }) {
  state.desk ??= { tags: {}, localTag: '' };
  const desk = state.desk;
  let running;

  async function tick(force = false) {
    if (running) return running;
    if (document.hidden && !force) return;
    running = (async () => {
      try {
        await fetchAndRender();
      } catch (err) {
        // The panels say they are offline (once: they keep saying it until the feed answers).
        if (!desk.offlineSince) {
          desk.offlineSince = new Date().toISOString();
          render(new Set(SECTIONS));
        }
        throw err;
      }
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  async function fetchAndRender() {
    const q = new URLSearchParams(query());
    const have = SECTIONS.filter((s) => desk.tags[s]).map((s) => `${s}.${desk.tags[s]}`);
    if (have.length) q.set('have', have.join(','));
    const local = state.config.mode === 'local';
    const [feed, extra] = await Promise.all([
      api(`/desk?${q}`),
      local
        ? fetch(`/local/feed?have=${encodeURIComponent(desk.localTag)}`).then((r) => (r.ok ? r.json() : {}))
        : undefined,
    ]);
    const changed = new Set();
    for (const s of SECTIONS) {
      if (!feed[s]?.items) continue;
      desk[s] = feed[s].items;
      desk.tags[s] = feed[s].tag;
      changed.add(s);
    }
    if (extra?.outbox) {
      desk.localTag = extra.tag;
      state.localEvents = extra.events;
      state.localDials = extra.dials;
      desk.outbox = extra.outbox;
      for (const s of ['complaints', 'campaigns', 'outbox']) changed.add(s);
    }
    // Back online: every live panel drops its offline line.
    if (desk.offlineSince) {
      delete desk.offlineSince;
      for (const s of SECTIONS) changed.add(s);
    }
    if (changed.size) render(changed);
  }

  const timer = setInterval(() => tick().catch(() => {}), everyMs);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) tick().catch(() => {});
  });
  return {
    /** Fetches now; `section`'s tag is dropped so it comes back and is redrawn. */
    refresh: async (section) => {
      if (section) delete desk.tags[section];
      else desk.tags = {};
      if (running) await running;
      await tick(true);
    },
    stop: () => clearInterval(timer),
  };
}
