// Keyline agent desktop. Talks to the HTTP API only; locally it can also simulate calls.

import { renderAccount } from './account.js';
import { apiFor } from './api.js';
import { signIn } from './auth.js';
import { renderCampaignPanel } from './campaigns.js';
import { renderCallerCard } from './card.js';
import { renderCockpit } from './cockpit.js';
import { complaintQuery, renderComplaintDetail, renderComplaintPanel, tickCountdowns } from './complaints.js';
import { startConnect } from './connect.js';
import { callCue, renderMute, toggleMute } from './cue.js';
import { $, el, fillSelect, fmtCny, fmtPct, keepFocus } from './dom.js';
import { findText, mountFind } from './find.js';
import { TEXT } from './i18n.js';
import { renderJournal } from './journal.js';
import { tickets } from './latest.js';
import { startLive } from './live.js';
import { renderOutbox } from './outbox.js';
import { renderPack } from './pack.js';
import { renderFollowUps, renderReview } from './review.js';
import { can, initialRole, mountRoleSwitch } from './role.js';
import { renderSimulator } from './simulator.js';
import { renderCardFailed, renderLookupFailedCard, renderUnknownCard } from './unknown-card.js';

const state = {
  lang: localStorage.getItem('keyline.lang') ?? 'zh-CN',
  selected: null,
  items: [],
  config: { mode: 'local', apiBase: '/api', callers: [] },
  token: null,
  /** What the detail panel shows: an account, a call card, or nothing. */
  view: null,
};
const t = () => TEXT[state.lang];

/** The HTTP API as this agent: signed in, in the agent's language, errors worded from the catalog. */
export const api = apiFor(state, t);

const cny = (n) => fmtCny(n, state.lang);
const pct = (n) => fmtPct(n, state.lang);
export const tierBadge = (tier) =>
  el('span', { class: `tier tier-${tier}`, 'data-tier': tier }, t().tiers[tier] ?? tier);

function announce(text) {
  $('announce').textContent = text;
}

function renderStatic() {
  document.documentElement.lang = state.lang;
  $('lang').textContent = state.lang === 'zh-CN' ? 'EN' : '中文';
  // The accessible name starts with what the button shows (WCAG 2.5.3, label in name).
  $('lang').setAttribute('aria-label', `${$('lang').textContent} · Switch language / 切换语言`);
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t()[node.dataset.i18n];
  for (const node of document.querySelectorAll('[data-i18n-placeholder]'))
    node.placeholder = t()[node.dataset.i18nPlaceholder];
  fillSelect($('tier'), t().allTiers, t().tiers);
  renderMute(t());
  fillSelect($('segment'), t().allSegments, t().segments);
  fillRoles?.();
  // Economic columns only for those who may see them (the API leaves them out for the others).
  for (const node of document.querySelectorAll('[data-economics]')) node.hidden = !can(state.role).economics;
  $('open-cockpit').hidden = !can(state.role).analytics;
  if (state.cockpitTab && !can(state.role).analytics) closeCockpit();
  else if (state.cockpitTab) openCockpit(state.cockpitTab);
  renderCallPanel();
}

// ---- the book -------------------------------------------------------------------------------

async function loadList() {
  const params = new URLSearchParams();
  for (const id of ['q', 'tier', 'segment']) if ($(id).value.trim()) params.set(id, $(id).value.trim());
  $('count').textContent = t().loading;
  try {
    const { items } = await api(`/accounts${params.size ? `?${params}` : ''}`);
    state.items = items;
    $('error').hidden = true;
    renderList();
  } catch (err) {
    $('error').hidden = false;
    $('error').textContent = t().failed + err.message;
  }
}

function renderList() {
  $('count').textContent = t().count(state.items.length);
  $('rows').replaceChildren(
    ...state.items.map((a) =>
      el(
        'tr',
        {
          'data-id': a.id,
          'aria-selected': String(a.id === state.selected),
          tabindex: '0',
          onclick: () => select(a.id),
          onkeydown: (e) => e.key === 'Enter' && select(a.id),
        },
        el('td', {}, a.name, a.nameEn ? el('span', { class: 'en' }, a.nameEn) : null),
        el('td', {}, tierBadge(a.tier)),
        el('td', {}, t().segments[a.segment]),
        can(state.role).economics ? el('td', {}, t().quadrants[a.reviewQuadrant]) : null,
        can(state.role).economics ? el('td', { class: 'num' }, a.priorityScore) : null,
      ),
    ),
  );
}

/** Each request drawing the detail panel takes a ticket: only the latest one's answer is drawn. */
const takeTicket = tickets();

/** The detail panel says a request for it failed. */
const showFailed = (err) =>
  $('detail').replaceChildren(el('p', { class: 'error', role: 'alert' }, t().failed + err.message));

/** Draws the view `load` answers, unless a later request asked for the panel meanwhile. */
async function drawLatest(load, failed = showFailed) {
  const latest = takeTicket();
  try {
    const view = await load();
    if (!latest()) return;
    state.view = view;
    renderView();
  } catch (err) {
    if (latest()) failed(err);
  }
}

function select(id) {
  state.selected = id;
  renderList();
  const path = `/accounts/${encodeURIComponent(id)}`;
  return drawLatest(async () => {
    const [account, review, followUps] = await Promise.all([
      api(path),
      can(state.role).economics ? api(`${path}/review`).catch(() => undefined) : undefined,
      api(`${path}/follow-ups`).catch(() => undefined),
    ]);
    return { kind: 'account', account, review, followUps };
  });
}

function renderView() {
  const v = state.view;
  const ctx = context();
  let children;
  // Simulated calls exist only locally: a hosted desktop without Connect has none to offer.
  if (!v) children = [el('p', { class: 'muted' }, state.config.mode === 'local' ? t().pick : t().pickHosted)];
  else if (v.kind === 'account')
    children = [
      renderAccount(v.account, ctx),
      renderReview(v.account, v.review, ctx, () => {
        select(v.account.id);
        loadList();
      }),
      renderFollowUps(v.followUps, ctx, v.account),
    ];
  else if (v.kind === 'pack') children = renderPack(v.pack, v.account, ctx);
  else if (v.kind === 'card') children = renderCallerCard(v.card, v.call, ctx);
  else if (v.kind === 'complaint')
    // An action answering after another view was asked for (a call rang) updates the list only.
    children = renderComplaintDetail(v.complaint, ctx, (updated, latest) => {
      if (latest) {
        state.view = { kind: 'complaint', complaint: updated };
        renderView();
      }
      refreshComplaints();
    });
  else if (v.kind === 'lookup-failed') children = renderLookupFailedCard(v.call, ctx);
  else if (v.kind === 'card-failed') children = renderCardFailed(v.call, v.error, ctx);
  else children = renderUnknownCard(v.call, ctx);
  $('detail').replaceChildren(...children.flat(Infinity).filter(Boolean));
  tickCountdowns(t());
  if (v && v.kind !== 'account') $('detail').querySelector('h2')?.focus();
}

/** A team's name in the agent's language (config.json's list), its id when unlisted. */
function teamName(id) {
  return state.config.teams?.[id]?.[state.lang === 'en' ? 'en' : 'zh-CN'] ?? id;
}

function context() {
  return {
    t: t(),
    lang: state.lang,
    can: can(state.role),
    api,
    tierBadge,
    pct,
    cny,
    popCard,
    selectAccount: select,
    openPack: (account) =>
      drawLatest(
        async () => ({
          kind: 'pack',
          pack: await api(`/accounts/${encodeURIComponent(account.id)}/review-pack`),
          account,
        }),
        (err) => announce(err.message),
      ),
    takeTicket,
    openComplaint,
    team: state.config.agent?.team,
    teamName,
    teams: state.config.teams,
    localEvents: state.localEvents,
    localDials: state.localDials,
    refreshCampaigns,
    refreshComplaints,
    refreshCalls,
    findText,
    announce,
  };
}

/** Redraws the named live panels from the desk feed's data (live.js), keeping the focus in each. */
function renderPanels(which) {
  const ctx = context();
  const d = state.desk;
  if (which.has('complaints'))
    keepFocus($('complaint-panel'), () =>
      renderComplaintPanel($('complaint-panel'), ctx, state, d.complaints),
    );
  // The campaign form is one kept node (campaigns.js), so a redraw never resets what is typed.
  if (which.has('campaigns'))
    keepFocus($('campaign-panel'), () => renderCampaignPanel($('campaign-panel'), ctx, state, d.campaigns));
  if (which.has('calls')) renderJournal(ctx, state, d.calls);
  if (which.has('outbox')) renderOutbox(state, t);
  tickCountdowns(t());
}

let live;
const refreshCampaigns = () => live?.refresh('campaigns');
const refreshComplaints = () => live?.refresh('complaints');
const refreshCalls = () => live?.refresh('calls');

function openComplaint(id) {
  const complaint = () => api(`/complaints/${encodeURIComponent(id)}`);
  return drawLatest(async () => ({ kind: 'complaint', complaint: await complaint() }));
}

// ---- calls ----------------------------------------------------------------------------------

/**
 * Pops the card for a call from the attributes the screen-pop Lambda answered (locally the
 * simulator, in production the CCP's contact attributes). `phone` is the caller's number.
 * A card re-opened after the agent's own request (a complaint filed, a delay acted on, a number
 * attached) passes the ticket it took before that request: a call that rang meanwhile wins.
 */
export async function popCard(call, latest = takeTicket()) {
  // Outrun by a later call or view: not drawn, but a complaint it filed is still said.
  const outrun = () => {
    if (latest()) return false;
    if (call.filed) announce(t().complaintFiled(call.filed));
    return true;
  };
  if (outrun()) return;
  const started = performance.now();
  const known = call.attributes?.known === 'true' && call.attributes.accountId;
  if (known) {
    const q = call.phone ? `?phone=${encodeURIComponent(call.phone)}` : '';
    const id = encodeURIComponent(call.attributes.accountId);
    const [card, notifications] = await Promise.all([
      api(`/accounts/${id}/screen-pop${q}`).catch((err) => ({ failed: err.message })),
      api(`/accounts/${id}/notifications`)
        .then((r) => r.items)
        .catch(() => []),
    ]);
    if (outrun()) return;
    // The card did not load: who is calling (the call's attributes) and a retry.
    state.view = card.failed
      ? { kind: 'card-failed', call, error: card.failed }
      : { kind: 'card', card: { ...card, notifications }, call };
  } else if (call.attributes?.lookupStatus === 'error' && call.phone) {
    // The lookup failed, not "no such caller": never offer to attach the number.
    state.view = { kind: 'lookup-failed', call };
  } else {
    state.view = { kind: 'unknown', call };
  }
  call.popMs = Math.round(performance.now() - started + (call.lookupMs ?? 0));
  state.selected = known ? call.attributes.accountId : null;
  renderList();
  renderView();
  // A re-opened card (a complaint filed, a retry, a dial) says what happened, not "incoming".
  if (call.filed) announce(t().complaintFiled(call.filed));
  else if (!call.quiet)
    announce(t().incoming(known ? call.attributes.accountName : call.phone || t().withheldCaller));
  // A new call rings; a card re-opened for the same call (a retry, an attach, a dial) does not.
  if (!call.quiet) callCue();
}

function renderCallPanel() {
  renderSimulator($('call-panel'), context(), state);
}

// ---- start ----------------------------------------------------------------------------------

let debounce;
$('filters').addEventListener('input', () => {
  clearTimeout(debounce);
  debounce = setTimeout(loadList, 200);
});
$('filters').addEventListener('submit', (e) => e.preventDefault());
$('mute').addEventListener('click', () => toggleMute(t()));
$('lang').addEventListener('click', () => {
  state.lang = state.lang === 'zh-CN' ? 'en' : 'zh-CN';
  localStorage.setItem('keyline.lang', state.lang);
  $('find-results').replaceChildren();
  renderStatic();
  renderList();
  renderView();
  if (state.desk) renderPanels(new Set(['complaints', 'campaigns', 'calls', 'outbox']));
});

let fillRoles;

/** The cockpit in place of the desk; a chart's account opens back on the desk. */
function openCockpit(tab) {
  state.cockpitTab = tab ?? 'portfolio';
  document.querySelector('main.layout').hidden = true;
  $('cockpit').hidden = false;
  renderCockpit($('cockpit'), context(), state.cockpitTab, {
    onPick: (id) => {
      closeCockpit();
      select(id);
    },
    onClose: closeCockpit,
    onTab: openCockpit,
  })
    .then(() => $('cockpit-title')?.focus())
    .catch((err) => {
      $('cockpit').append(el('p', { class: 'error', role: 'alert' }, t().failed + err.message));
    });
}

function closeCockpit() {
  state.cockpitTab = undefined;
  $('cockpit').hidden = true;
  $('cockpit').replaceChildren();
  document.querySelector('main.layout').hidden = false;
  $('open-cockpit').focus();
}
$('open-cockpit').addEventListener('click', () => openCockpit());

/** Another role in the local stack: the book, the open view and the panels as that role sees them. */
function roleChanged() {
  state.campaignForm = undefined;
  renderStatic();
  loadList();
  if (state.view?.kind === 'account') select(state.view.account.id);
  else renderView();
  if (state.desk) renderPanels(new Set(['complaints', 'campaigns', 'calls', 'outbox']));
}

async function main() {
  state.config = { ...state.config, ...(await fetch('config.json').then((r) => (r.ok ? r.json() : {}))) };
  if (state.config.auth) {
    $('count').textContent = TEXT[state.lang].signIn;
    state.token = await signIn(state.config.auth);
  }
  state.role = initialRole(state.config, state.token);
  fillRoles = mountRoleSwitch($('role'), state, t, roleChanged);
  renderStatic();
  renderView();
  mountFind(context);
  if (state.config.mode === 'connect') startConnect(state.config.ccpUrl, popCard);
  live = startLive({
    api,
    state,
    query: () => complaintQuery(state, state.config.agent?.team),
    render: renderPanels,
    everyMs: state.config.liveEveryMs ?? 3000,
  });
  // A feed that does not answer yet leaves the panels saying so (live.js), not the desktop unready.
  await Promise.all([loadList(), live.refresh().catch(() => {})]);
  // A link from an alert digest (or anywhere) opens its account: ?account=<id>.
  const linked = new URLSearchParams(location.search).get('account');
  if (linked) await select(linked);
  // The managers' weekly digest links to the cockpit.
  if (location.hash === '#cockpit' && can(state.role).analytics) openCockpit();
  setInterval(() => tickCountdowns(t()), 1000);
  document.body.dataset.ready = 'true';
}

main();
