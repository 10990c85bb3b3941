import type { Response } from 'express';

/** Answers with Webex's error shape: `{message, errors:[{description}], trackingId}` (+ the trackingid header). */
export function webexError(res: Response, status: number, message: string): void {
  const trackingId = String(res.getHeader('trackingid') ?? '');
  res.status(status).json({ message, errors: [{ description: message }], trackingId });
}
