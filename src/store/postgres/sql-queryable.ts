/** The one method of a `pg.Pool` the lease and the webhook dedupe use, so tests can wrap it (freeze, cut). */
export interface SqlQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount?: number | null }>;
}
