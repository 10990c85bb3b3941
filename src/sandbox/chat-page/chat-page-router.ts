import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Response, type Router } from 'express';

const here = dirname(fileURLToPath(import.meta.url));

/** The page's own files, served by name only (no directory listing, no path from the request). */
const PAGE_FILES = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/chat.js': { file: 'chat.js', type: 'text/javascript; charset=utf-8' },
  '/chat.css': { file: 'chat.css', type: 'text/css; charset=utf-8' },
} as const;

/**
 * Scripts only from this origin (no inline script, no eval): a message that slipped past the page's escaping
 * still could not run code. Styles allow inline because the card renderer sets style attributes.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function send(res: Response, path: string, type: string): void {
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', CSP);
  res.sendFile(path);
}

/**
 * The sandbox chat page: a small Webex-like client over the fake API's /_sandbox routes (same origin), with
 * cards drawn by the real adaptivecards renderer served from node_modules under /vendor.
 */
export function chatPageRouter(): Router {
  const require = createRequire(import.meta.url);
  const vendor = {
    '/vendor/adaptivecards.min.js': {
      file: require.resolve('adaptivecards/dist/adaptivecards.min.js'),
      type: 'text/javascript; charset=utf-8',
    },
    '/vendor/adaptivecards.css': {
      file: require.resolve('adaptivecards/dist/adaptivecards.css'),
      type: 'text/css; charset=utf-8',
    },
  } as const;
  const r = express.Router();
  for (const [route, { file, type }] of Object.entries(PAGE_FILES)) {
    const path = join(here, file);
    r.get(route, (_req, res) => send(res, path, type));
  }
  for (const [route, { file, type }] of Object.entries(vendor)) {
    r.get(route, (_req, res) => send(res, file, type));
  }
  return r;
}
