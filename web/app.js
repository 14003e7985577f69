// Keyline agent desktop: the key-account book. Talks to the HTTP API only.
const API = window.KEYLINE_API_BASE ?? '/api';

const TEXT = {
  'zh-CN': {
    title: '坐席工作台',
    book: '大客户名录',
    search: '搜索客户名称…',
    pick: '选择左侧客户查看详情。',
    colName: '客户',
    colTier: '层级',
    colSegment: '行业',
    colQuadrant: '复盘象限',
    colPriority: '优先级',
    allTiers: '全部层级',
    allSegments: '全部行业',
    count: (n) => `共 ${n} 个客户`,
    loading: '加载中…',
    failed: '无法加载数据：',
    profile: '客户档案',
    economics: '价值与优先级',
    contacts: '联系人',
    regions: '区域',
    serviceGroup: '服务组(队列)',
    accountManager: '客户经理',
    dedicatedRep: '专属客服',
    onTime: '准时交付承诺',
    expectedValue: '预期客户价值',
    expectedProfit: '预期客户利润',
    clv: '客户终身价值',
    profitTarget: '利润目标',
    met: '已达成',
    notMet: '未达成',
    priorityScore: '优先级分',
    routing: '路由优先级',
    version: '版本',
    dnc: '勿电',
    noConsent: '未授权外呼',
    lang: '语言',
    tz: '时区',
    none: '—',
    tiers: { key: '关键客户', 'high-growth': '高成长潜力', loyal: '忠诚客户', 'low-potential': '低潜力' },
    segments: { fmcg: '快消品', chemicals: '化工', electrical: '电器电工', pharma: '医药', other: '其他' },
    quadrants: {
      grow: '发展',
      cultivate: '培育',
      milk: '维持收益',
      deprioritize: '降低优先级',
      remove: '移出名录',
    },
  },
  en: {
    title: 'Agent desktop',
    book: 'Key-account book',
    search: 'Search account name…',
    pick: 'Pick an account to see its record.',
    colName: 'Account',
    colTier: 'Tier',
    colSegment: 'Segment',
    colQuadrant: 'Review',
    colPriority: 'Priority',
    allTiers: 'All tiers',
    allSegments: 'All segments',
    count: (n) => `${n} accounts`,
    loading: 'Loading…',
    failed: 'Could not load data: ',
    profile: 'Profile',
    economics: 'Value and priority',
    contacts: 'Contacts',
    regions: 'Regions',
    serviceGroup: 'Service group (queue)',
    accountManager: 'Account manager',
    dedicatedRep: 'Dedicated rep',
    onTime: 'On-time commitment',
    expectedValue: 'Expected account value',
    expectedProfit: 'Expected account profit',
    clv: 'Customer lifetime value',
    profitTarget: 'Profit target',
    met: 'met',
    notMet: 'not met',
    priorityScore: 'Priority score',
    routing: 'Routing priority',
    version: 'Version',
    dnc: 'Do not call',
    noConsent: 'No call consent',
    lang: 'Language',
    tz: 'Time zone',
    none: '—',
    tiers: {
      key: 'Key account',
      'high-growth': 'High-growth prospect',
      loyal: 'Loyal',
      'low-potential': 'Low potential',
    },
    segments: {
      fmcg: 'FMCG',
      chemicals: 'Chemicals',
      electrical: 'Electrical',
      pharma: 'Pharma',
      other: 'Other',
    },
    quadrants: {
      grow: 'Grow',
      cultivate: 'Cultivate',
      milk: 'Milk',
      deprioritize: 'Deprioritize',
      remove: 'Remove',
    },
  },
};

const state = { lang: localStorage.getItem('keyline.lang') ?? 'zh-CN', selected: null, items: [] };
const $ = (id) => document.getElementById(id);
const t = () => TEXT[state.lang];

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children.flat())
    if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}

const cny = (n) =>
  new Intl.NumberFormat(state.lang, {
    style: 'currency',
    currency: 'CNY',
    notation: 'compact',
    maximumFractionDigits: 1,
  }).format(n);
const pct = (n) =>
  new Intl.NumberFormat(state.lang, { style: 'percent', maximumFractionDigits: 1 }).format(n);
const tierBadge = (tier) =>
  el('span', { class: `tier tier-${tier}`, 'data-tier': tier }, t().tiers[tier] ?? tier);

async function api(path) {
  const res = await fetch(`${API}${path}`, { headers: { accept: 'application/json' } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.message ?? `HTTP ${res.status}`);
  return body;
}

function renderStatic() {
  document.documentElement.lang = state.lang;
  $('lang').textContent = state.lang === 'zh-CN' ? 'EN' : '中文';
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t()[node.dataset.i18n];
  for (const node of document.querySelectorAll('[data-i18n-placeholder]'))
    node.placeholder = t()[node.dataset.i18nPlaceholder];
  const fill = (select, all, options) => {
    const value = select.value;
    select.replaceChildren(
      el('option', { value: '' }, all),
      ...Object.entries(options).map(([v, label]) => el('option', { value: v }, label)),
    );
    select.value = value;
  };
  fill($('tier'), t().allTiers, t().tiers);
  fill($('segment'), t().allSegments, t().segments);
}

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
        el('td', {}, t().quadrants[a.reviewQuadrant]),
        el('td', { class: 'num' }, a.priorityScore),
      ),
    ),
  );
}

async function select(id) {
  state.selected = id;
  renderList();
  try {
    renderDetail(await api(`/accounts/${encodeURIComponent(id)}`));
  } catch (err) {
    $('detail').replaceChildren(el('p', { class: 'error', role: 'alert' }, t().failed + err.message));
  }
}

function facts(pairs) {
  return el(
    'dl',
    { class: 'facts' },
    pairs.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v ?? t().none)]),
  );
}

function renderDetail(a) {
  const d = a.derived;
  const children = [
    el('h2', { id: 'detail-name' }, a.name, ' ', tierBadge(d.tier)),
    a.nameEn ? el('p', { class: 'muted' }, a.nameEn) : null,
    el('h3', {}, t().profile),
    facts([
      [t().colSegment, t().segments[a.segment]],
      [t().regions, a.regions.join('、')],
      [t().serviceGroup, a.serviceGroup],
      [t().accountManager, a.accountManager],
      [t().dedicatedRep, a.dedicatedRep],
      [t().onTime, pct(a.onTimeCommitment)],
      [t().version, a.version],
    ]),
    a.tags.length
      ? el(
          'div',
          { class: 'tags' },
          a.tags.map((tag) => el('span', { class: 'flag' }, tag)),
        )
      : null,
    el('h3', {}, t().economics),
    facts([
      [t().expectedValue, cny(d.expectedValue)],
      [t().expectedProfit, cny(d.expectedProfit)],
      [t().profitTarget, d.meetsProfitTarget ? t().met : t().notMet],
      [t().clv, cny(d.clv)],
      [t().colQuadrant, t().quadrants[d.reviewQuadrant]],
      [t().priorityScore, d.priorityScore],
      [t().routing, d.routingPriority],
    ]),
    el('h3', {}, `${t().contacts} (${a.contacts.length})`),
    a.contacts.map((c) =>
      el(
        'div',
        { class: 'contact', 'data-contact': c.id },
        el('strong', {}, c.name),
        c.role ? ` · ${c.role}` : '',
        el('div', {}, c.phones.map((p) => p.e164).join(' / ') || t().none),
        c.email ? el('div', { class: 'muted' }, c.email) : null,
        el(
          'div',
          { class: 'flags' },
          el('span', { class: 'flag' }, `${t().lang}: ${c.language}`),
          c.timeZone ? el('span', { class: 'flag' }, `${t().tz}: ${c.timeZone}`) : null,
          c.doNotCall ? el('span', { class: 'flag warn' }, t().dnc) : null,
          c.consent.calls ? null : el('span', { class: 'flag warn' }, t().noConsent),
        ),
      ),
    ),
  ];
  $('detail').replaceChildren(...children.flat().filter(Boolean));
}

let debounce;
$('filters').addEventListener('input', () => {
  clearTimeout(debounce);
  debounce = setTimeout(loadList, 200);
});
$('filters').addEventListener('submit', (e) => e.preventDefault());
$('lang').addEventListener('click', () => {
  state.lang = state.lang === 'zh-CN' ? 'en' : 'zh-CN';
  localStorage.setItem('keyline.lang', state.lang);
  renderStatic();
  renderList();
  if (state.selected) select(state.selected);
});

renderStatic();
loadList();
