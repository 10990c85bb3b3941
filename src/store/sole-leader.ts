import type { Leadership } from './leadership.js';

/**
 * The single-instance case (lowdb): this instance always leads, its lease never runs out (`expiresAt` null)
 * and there is no database to ask.
 */
export function soleLeader(holder: string): Leadership {
  const view = { holder, expiresAt: null, fencing: 1, self: true };
  return {
    isLeader: () => true,
    leader: () => view,
    database: () => null,
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
  };
}
