/** The live counters an account's STATS item holds (kept in step by the stores' transactions). */
export interface AccountStats {
  openComplaints: number;
  delayedShipments: number;
  inTransitShipments: number;
}

export function statsOf(item: Record<string, unknown> | undefined): AccountStats {
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.max(0, v) : 0);
  return {
    openComplaints: n(item?.openComplaints),
    delayedShipments: n(item?.delayedShipments),
    inTransitShipments: n(item?.inTransitShipments),
  };
}
