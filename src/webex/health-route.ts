import type { RequestHandler } from 'express';
import type { Logger } from '../log.js';
import { bearerTokenMatches } from './bearer-token-matches.js';

export type HealthStatus = 'ok' | 'degraded';

/** What `health()` reports: `status` is public; every other field only to holders of the health token. */
export interface HealthReport {
  /** Anything but 'ok' (including a missing status) is answered as 'degraded'. */
  readonly status?: HealthStatus;
  readonly [detail: string]: unknown;
}

export interface HealthRouteOptions {
  health: () => HealthReport | Promise<HealthReport>;
  /** Bearer token that unlocks the details; null = details are never served. */
  token: string | null;
  logger: Logger;
}

/**
 * GET /healthz on the public webhook port. Everyone gets `{status}` with 200 (ok) or 503 (degraded), nothing
 * more: no pid, paths, URLs, ids or vendor errors. `Authorization: Bearer <token>` matching `token` adds the
 * details. A wrong or unneeded token gets the same minimal answer as none (logged, so an operator can see
 * why), so the endpoint never says whether a token is configured.
 */
export function healthRoute(options: HealthRouteOptions): RequestHandler {
  const { token, logger: log } = options;
  return async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const authorization = req.get('authorization');
    const detailed = token !== null && bearerTokenMatches(authorization, token);
    if (authorization !== undefined && !detailed) {
      log.warn(
        { reason: token === null ? 'HEALTH_TOKEN is not set' : 'token does not match' },
        'healthz: details refused, answered the public status only',
      );
    }
    let report: HealthReport;
    try {
      report = await options.health();
    } catch (err) {
      log.error({ err }, 'health check failed');
      const error = { code: 'HEALTH_CHECK_FAILED', message: 'health check failed; see the log' };
      res.status(503).json(detailed ? { status: 'degraded', error } : { status: 'degraded' });
      return;
    }
    const status: HealthStatus = report.status === 'ok' ? 'ok' : 'degraded';
    res.status(status === 'ok' ? 200 : 503).json(detailed ? { ...report, status } : { status });
  };
}
