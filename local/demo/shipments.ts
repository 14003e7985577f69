import type { MilestoneEvent, Shipment } from '#shared/shipments/model.ts';

const HOUR = 3_600_000;
const LANES: [string, string][] = [
  ['天津港', '北京顺义配送中心'],
  ['上海嘉定', '杭州萧山仓'],
  ['广州黄埔', '长沙雨花配送中心'],
  ['武汉阳逻', '成都双流仓'],
  ['沈阳于洪', '哈尔滨平房配送中心'],
  ['青岛黄岛', '郑州航空港仓'],
];

/** Who moves the goods, reachable on the road (demo numbers). */
const CARRIERS = [
  { name: '顺安物流 / Shunan Logistics', phone: '+864008001001' },
  { name: '中联冷链 / Zhonglian Cold Chain', phone: '+864008002002' },
  { name: '自营车队 / own fleet', phone: '+864008003003' },
];
const DRIVERS = ['刘师傅', '张师傅', '王师傅', '陈师傅', '赵师傅'];

/** Per account: in-transit shipments (some late), and delivered history for the KPIs. */
const PLAN: Record<
  string,
  {
    open: number;
    late: ('weather' | 'eta' | 'overdue' | 'vehicle-breakdown')[];
    delivered: number;
    cargo: string;
    temp?: string;
  }
> = {
  'acc-jinhe-grain': { open: 5, late: ['weather', 'eta'], delivered: 24, cargo: '食用油 / edible oil' },
  'acc-alpina-chocolate': { open: 3, late: ['eta'], delivered: 18, cargo: 'Chocolate', temp: '12–18 °C' },
  'acc-unimax-consumer': { open: 4, late: [], delivered: 30, cargo: '日化用品 / home care' },
  'acc-kangtai-pharma': {
    open: 3,
    late: ['vehicle-breakdown'],
    delivered: 20,
    cargo: '疫苗 / vaccines',
    temp: '2–8 °C',
  },
  'acc-meilian-appliances': { open: 4, late: ['overdue'], delivered: 22, cargo: '空调 / air conditioners' },
  'acc-norvasen-pharma': { open: 2, late: [], delivered: 12, cargo: 'Pharmaceuticals', temp: '15–25 °C' },
  'acc-cuile-snacks': { open: 3, late: ['weather'], delivered: 15, cargo: '休闲食品 / snacks' },
  'acc-hengju-plastics': { open: 2, late: [], delivered: 10, cargo: 'PP 颗粒 / resin' },
  'acc-huacai-paints': { open: 2, late: [], delivered: 8, cargo: '涂料 / paint (UN1263)' },
  'acc-tianyuan-dairy': { open: 2, late: ['eta'], delivered: 14, cargo: '鲜奶 / fresh milk', temp: '2–6 °C' },
  'acc-qingquan-beverages': { open: 1, late: [], delivered: 8, cargo: '瓶装水 / bottled water' },
};

/** Stable waybills: the IVR demo and the tests can rely on them. */
export function demoWaybill(accountIndex: number, n: number, delivered = false): string {
  return `71${delivered ? 9 : 0}${String(accountIndex).padStart(2, '0')}${String(n).padStart(5, '0')}`;
}

/** The demo shipments, relative to `now` so that "late" stays late whenever the demo runs. */
export function demoShipments(now: Date): Shipment[] {
  const t = now.getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  const out: Shipment[] = [];
  Object.entries(PLAN).forEach(([accountId, plan], ai) => {
    for (let n = 0; n < plan.open; n++) {
      const [origin, destination] = LANES[(ai + n) % LANES.length] ?? ['上海', '北京'];
      const late = plan.late[n];
      const promised = t + (late === 'overdue' ? -5 : 10 + n * 6) * HOUR;
      const picked = t - (20 + n * 3) * HOUR;
      const milestones: MilestoneEvent[] = [
        { milestone: 'picked-up', at: iso(picked), location: origin },
        { milestone: 'departed', at: iso(picked + 2 * HOUR), location: origin },
        {
          milestone: 'arrived-at-hub',
          at: iso(picked + 12 * HOUR),
          location: n % 2 ? '郑州转运中心' : '南京转运中心',
        },
      ];
      let eta = promised - HOUR;
      let status: Shipment['status'] = 'in-transit';
      if (late === 'weather' || late === 'vehicle-breakdown') {
        milestones.push({
          milestone: 'exception',
          at: iso(t - 2 * HOUR),
          location:
            late === 'weather'
              ? 'G4 京港澳高速 信阳段 / G4 expressway, Xinyang'
              : 'G15 沈海高速 盐城段 / G15 expressway, Yancheng',
          reason: late,
        });
        eta = promised + (late === 'weather' ? 30 : 8) * HOUR;
        status = 'exception';
      } else if (late === 'eta') {
        eta = promised + 26 * HOUR;
      } else if (late === 'overdue') {
        eta = t + 6 * HOUR;
      }
      out.push({
        waybill: demoWaybill(ai, n),
        accountId,
        origin,
        destination,
        consignee: { name: `${destination}收货部 / receiving`, address: `${destination} 1号门` },
        cargo: plan.cargo,
        ...(plan.temp ? { temperatureRange: plan.temp } : {}),
        promisedAt: iso(promised),
        eta: iso(eta),
        status,
        milestones,
        nextMilestoneDueAt: iso(t + 4 * HOUR),
        carrier: CARRIERS[(ai + n) % CARRIERS.length] ?? { name: '自营车队 / own fleet' },
        driver: {
          name: DRIVERS[(ai * 3 + n) % DRIVERS.length] ?? '司机',
          phone: `+86139${String(ai * 10 + n).padStart(8, '0')}`,
        },
        version: 1,
        updatedAt: iso(t),
      });
    }
    for (let n = 0; n < plan.delivered; n++) {
      const [origin, destination] = LANES[(ai + n) % LANES.length] ?? ['上海', '北京'];
      const deliveredAt = t - (2 + n * 3) * 24 * HOUR;
      // Roughly one in nine late, one in fifteen short, one in twenty damaged, one in seventeen
      // without complete papers, one in thirty-one at the wrong door.
      const lateBy = (n + ai) % 9 === 4 ? 5 * HOUR : 0;
      // On time: delivered two hours before the promise. Late: delivered `lateBy` after it.
      const promised = lateBy ? deliveredAt - lateBy : deliveredAt + 2 * HOUR;
      out.push({
        waybill: demoWaybill(ai, n, true),
        accountId,
        origin,
        destination,
        consignee: { name: `${destination}收货部 / receiving` },
        cargo: plan.cargo,
        promisedAt: iso(promised),
        eta: iso(deliveredAt),
        status: 'delivered',
        milestones: [
          { milestone: 'picked-up', at: iso(deliveredAt - 30 * HOUR), location: origin },
          { milestone: 'delivered', at: iso(deliveredAt), location: destination },
        ],
        delivery: {
          deliveredAt: iso(deliveredAt),
          complete: (n + ai) % 15 !== 7,
          undamaged: (n + ai) % 20 !== 11,
          rightDestination: (n + ai) % 31 !== 3,
          paperworkComplete: (n + ai) % 17 !== 5,
          errorFree: (n + ai) % 20 !== 11 && (n + ai) % 31 !== 3 && (n + ai) % 17 !== 5,
          podReference: `POD-${demoWaybill(ai, n, true)}`,
        },
        version: 1,
        updatedAt: iso(deliveredAt),
      });
    }
  });
  return out;
}
