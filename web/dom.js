// Tiny DOM helpers shared by the desktop's modules.
export const $ = (id) => document.getElementById(id);

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity))
    if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}

/** Refills a filter's options (an "all" option first) in the agent's language, keeping its value. */
export function fillSelect(select, all, options) {
  const value = select.value;
  select.replaceChildren(
    el('option', { value: '' }, all),
    ...Object.entries(options).map(([v, label]) => el('option', { value: v }, label)),
  );
  select.value = value;
}

/**
 * Every time the desktop shows is in one zone, the agent's (the call centre's, Asia/Shanghai, as
 * the card's countdowns and the SLA clock use), labelled with its offset.
 */
export const AGENT_TIME_ZONE = 'Asia/Shanghai';

const formats = new Map();

/** Intl formatters are costly to build; one per language and shape is kept. */
function format(key, make) {
  let f = formats.get(key);
  if (!f) {
    f = make();
    formats.set(key, f);
  }
  return f;
}

export function fmtTime(iso, lang, withDate = true) {
  const at = new Date(iso);
  const text = format(
    `${lang} ${withDate}`,
    () =>
      new Intl.DateTimeFormat(lang, {
        ...(withDate ? { month: 'numeric', day: 'numeric' } : {}),
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZone: AGENT_TIME_ZONE,
      }),
  ).format(at);
  const zone = format(
    'zone',
    () => new Intl.DateTimeFormat('en', { timeZone: AGENT_TIME_ZONE, timeZoneName: 'short' }),
  )
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  return zone ? `${text} ${zone}` : text;
}

/** An amount in yuan, compact (¥1.2亿 / CN¥120M). */
export const fmtCny = (n, lang) =>
  format(`${lang} cny`, () =>
    Intl.NumberFormat(lang, {
      style: 'currency',
      currency: 'CNY',
      notation: 'compact',
      maximumFractionDigits: 1,
    }),
  ).format(n);

export const fmtPct = (n, lang) =>
  format(`${lang} pct`, () => Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 })).format(
    n,
  );

/** A day (no time) in the agent's zone: an instant late in the UTC day is the next day in Shanghai. */
export const fmtDate = (iso, lang) =>
  format(`${lang} date`, () =>
    Intl.DateTimeFormat(lang, {
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      timeZone: AGENT_TIME_ZONE,
    }),
  ).format(new Date(iso));

/** What finds an element again after a redraw: its id, or its first data-* attribute. */
function focusKey(node) {
  if (node.id) return `#${CSS.escape(node.id)}`;
  const attr = node.getAttributeNames().find((a) => a.startsWith('data-'));
  return attr ? `${node.tagName.toLowerCase()}[${attr}="${CSS.escape(node.getAttribute(attr))}"]` : null;
}

/** Runs `draw` (which replaces `panel`'s children) and puts the keyboard focus back where it was. */
export function keepFocus(panel, draw) {
  const active = document.activeElement;
  const key = active && active !== panel && panel.contains(active) ? focusKey(active) : null;
  draw();
  const again = key && panel.querySelector(key);
  if (again && again !== document.activeElement) again.focus({ preventScroll: true });
}
