/** True for the URLs that select the PostgreSQL store (`postgres://…`, `postgresql://…`). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url.trim());
}

/**
 * Where a database URL points, safe to log and show on /healthz: scheme, host, port and database, never
 * the user's password (nor the query string, which may carry one as `password=`).
 */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `${u.protocol}//${user}${u.host}${u.pathname}`;
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
