/** The most telling part of a fetch failure: the socket error code (e.g. ECONNREFUSED), else a message. */
export function networkReason(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? cause.cause : null;
    const code = inner !== null && 'code' in inner && typeof inner.code === 'string' ? inner.code : null;
    return code ?? inner?.message ?? cause.message;
  }
  return 'network error';
}
