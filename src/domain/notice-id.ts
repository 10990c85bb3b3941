/** The id of each scheduled notice's mark in `LedgerData.notices`: one per space, pool or the admin nudge. */
export const noticeId = {
  digest: (roomId: string): string => `digest:${roomId}`,
  pendingNudge: (): string => 'pending_nudge',
  poolExpiry: (poolId: string): string => `pool_expiry:${poolId}`,
  poolRenewal: (poolId: string): string => `pool_renewal:${poolId}`,
  lowSeats: (poolId: string): string => `low_seats:${poolId}`,
  seatEnding: (assignmentId: string): string => `seat_ending:${assignmentId}`,
  reclaim: (assignmentId: string): string => `reclaim:${assignmentId}`,
};
