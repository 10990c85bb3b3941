/** A body as text, or how it broke the cap: declared too long up front, or read past it (`bytes` read so far). */
export type CappedBody = { kind: 'text'; text: string } | { kind: 'too_large'; bytes: number; declared: boolean };

/**
 * Reads a response body as UTF-8 text, never holding more than `maxBytes` of it: a `Content-Length` over the
 * cap is refused before reading, and a body that grows past it (chunked, or lying about its length) is
 * cancelled at the chunk that crosses the cap, which drops the connection.
 */
export async function readCappedBody(res: Response, maxBytes: number): Promise<CappedBody> {
  const length = res.headers.get('content-length');
  const declared = length === null || !/^\d+$/.test(length.trim()) ? null : Number(length);
  if (declared !== null && declared > maxBytes) {
    await res.body?.cancel();
    return { kind: 'too_large', bytes: declared, declared: true };
  }
  if (res.body === null) return { kind: 'text', text: '' };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return { kind: 'too_large', bytes: total, declared: false };
    }
    chunks.push(value);
  }
  return { kind: 'text', text: new TextDecoder().decode(Buffer.concat(chunks, total)) };
}
