import { isRecord } from './is-record.js';

/** What may be logged of an SDK error: its request options carry the Authorization header. */
export function sdkErrorSummary(err: unknown): {
  name: string;
  message: string;
  statusCode?: number;
  trackingId?: string;
} {
  if (!isRecord(err) && !(err instanceof Error))
    return { name: 'Error', message: typeof err === 'string' ? err : 'unknown error' };
  const e = err as Record<string, unknown>;
  const headers = isRecord(e.headers) ? e.headers : {};
  const body = isRecord(e.body) ? e.body : {};
  const trackingId =
    typeof body.trackingId === 'string'
      ? body.trackingId
      : typeof headers.trackingid === 'string'
        ? headers.trackingid
        : undefined;
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: (typeof e.message === 'string' ? e.message : 'unknown error').split('\n')[0] ?? '',
    ...(typeof e.statusCode === 'number' ? { statusCode: e.statusCode } : {}),
    ...(trackingId === undefined ? {} : { trackingId }),
  };
}
