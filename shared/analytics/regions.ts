import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Where a caller calls from, as far as the number tells: the city of a Chinese landline by its
 * area code, "mobile" for a Chinese mobile (its province needs a carrier's number-range data,
 * which is not kept here), the country of a foreign number.
 */
const AREA_CODES: Record<string, [string, string]> = {
  '010': ['北京', 'Beijing'],
  '020': ['广州', 'Guangzhou'],
  '021': ['上海', 'Shanghai'],
  '022': ['天津', 'Tianjin'],
  '023': ['重庆', 'Chongqing'],
  '024': ['沈阳', 'Shenyang'],
  '025': ['南京', 'Nanjing'],
  '027': ['武汉', 'Wuhan'],
  '028': ['成都', 'Chengdu'],
  '029': ['西安', "Xi'an"],
  '0311': ['石家庄', 'Shijiazhuang'],
  '0351': ['太原', 'Taiyuan'],
  '0371': ['郑州', 'Zhengzhou'],
  '0411': ['大连', 'Dalian'],
  '0431': ['长春', 'Changchun'],
  '0451': ['哈尔滨', 'Harbin'],
  '0471': ['呼和浩特', 'Hohhot'],
  '0512': ['苏州', 'Suzhou'],
  '0531': ['济南', 'Jinan'],
  '0532': ['青岛', 'Qingdao'],
  '0551': ['合肥', 'Hefei'],
  '0571': ['杭州', 'Hangzhou'],
  '0574': ['宁波', 'Ningbo'],
  '0591': ['福州', 'Fuzhou'],
  '0592': ['厦门', 'Xiamen'],
  '0731': ['长沙', 'Changsha'],
  '0755': ['深圳', 'Shenzhen'],
  '0757': ['佛山', 'Foshan'],
  '0769': ['东莞', 'Dongguan'],
  '0771': ['南宁', 'Nanning'],
  '0791': ['南昌', 'Nanchang'],
  '0851': ['贵阳', 'Guiyang'],
  '0871': ['昆明', 'Kunming'],
  '0898': ['海口', 'Haikou'],
  '0931': ['兰州', 'Lanzhou'],
  '0991': ['乌鲁木齐', 'Urumqi'],
};

/** A region code: `CN-021` (a landline's area), `CN-mobile`, `CN-other`, or a country (`DE`). */
export function regionOfNumber(e164: string): string {
  if (e164.startsWith('+86')) {
    const national = e164.slice(3);
    if (/^1[3-9]/.test(national)) return 'CN-mobile';
    const code = /^(10|2\d)/.test(national) ? `0${national.slice(0, 2)}` : `0${national.slice(0, 3)}`;
    return AREA_CODES[code] ? `CN-${code}` : 'CN-other';
  }
  return parsePhoneNumberFromString(e164)?.country ?? 'unknown';
}

const SPECIAL: Record<string, [string, string]> = {
  'CN-mobile': ['中国手机', 'China, mobile'],
  'CN-other': ['中国其他地区', 'China, other areas'],
  unknown: ['未知', 'Unknown'],
};

/** A region's name in both languages. */
export function regionName(region: string): { 'zh-CN': string; en: string } {
  const [zh, en] = SPECIAL[region] ??
    AREA_CODES[region.replace(/^CN-/, '')] ?? [
      new Intl.DisplayNames(['zh-CN'], { type: 'region' }).of(region) ?? region,
      new Intl.DisplayNames(['en'], { type: 'region' }).of(region) ?? region,
    ];
  return { 'zh-CN': zh, en };
}
