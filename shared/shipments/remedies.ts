/** What customer service can arrange when a shipment will be late (the playbooks offer a subset per industry). */
export const REMEDIES = [
  'expedite',
  'partial-delivery',
  'stock-transfer',
  'replacement-shipment',
  'temperature-check',
  'quality-release',
  'hazmat-response',
  'reroute',
] as const;
export type Remedy = (typeof REMEDIES)[number];
