import { AppError } from '../../errors.js';
import type { VendorProgress } from '../tracked-vendor-client.js';

/** `30 minutes`, `1 minute`, `2 seconds`, `1.5 seconds`, `250 ms`. */
function describeDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return ms === 60_000 ? '1 minute' : `${ms / 60_000} minutes`;
  if (ms >= 1000) return ms === 1000 ? '1 second' : `${Math.round(ms / 100) / 10} seconds`;
  return `${ms} ms`;
}

/**
 * SYNC_TIMEOUT for one vendor of a run that ran out of its SYNC_TIMEOUT_MINUTES: stopped while reading
 * (naming the page it was on when the client can tell), read but not yet applied, or never started.
 * Its data is left as it was in every case.
 */
export function syncTimeoutError(
  label: string,
  timeoutMs: number,
  stage: 'reading' | 'read' | 'not_started',
  progress: VendorProgress | null,
): AppError {
  const where =
    stage === 'not_started'
      ? ` before ${label} was read`
      : stage === 'read'
        ? `; ${label} had been read but not yet applied`
        : progress === null
          ? `; ${label} was still reading`
          : `; ${label} was still reading page ${progress.pages + 1}`;
  return new AppError('SYNC_TIMEOUT', `Sync stopped after ${describeDuration(timeoutMs)} (SYNC_TIMEOUT_MINUTES)${where}; nothing was changed for ${label}`);
}
