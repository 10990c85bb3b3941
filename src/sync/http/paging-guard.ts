import { createHash } from 'node:crypto';
import { VendorApiError } from '../../errors.js';
import { normalizePageUrl } from './normalize-page-url.js';

export interface PagingGuardOptions {
  /** 'webex' | 'meraki' | 'zoho_crm' | 'cpod', for the errors. */
  vendor: string;
  /** Pages this walk may read (VENDOR_MAX_PAGES). */
  maxPages: number;
  /** The listing, e.g. `GET https://host/path` (never the query string). */
  where: string;
}

/**
 * The budget and loop check of one listing walk (paginate() and the clients that page by hand). A walk is a
 * loop, VENDOR_PAGING_LOOP, when its next page is one already read (same origin, path and query, cache-buster
 * parameters ignored: see normalizePageUrl) or when a page lists exactly the records of an earlier page (a
 * cursor that changes while the page does not). Real paging meets neither: every next link moves a cursor,
 * token, offset or page number, and every page lists other records. Past `maxPages` pages the walk stops with
 * VENDOR_TOO_MANY_PAGES. Memory: one normalised URL and one hash per page read, never the pages.
 */
export class PagingGuard {
  private count = 0;
  private readonly urls = new Map<string, number>();
  private readonly contents = new Map<string, number>();

  constructor(private readonly o: PagingGuardOptions) {}

  /** Pages read so far. */
  get pages(): number {
    return this.count;
  }

  /** A page was read from `url` and lists `records` (see listedRecords); throws when it repeats an earlier page. */
  read(url: string, records: readonly unknown[]): void {
    this.count++;
    const key = normalizePageUrl(url);
    if (!this.urls.has(key)) this.urls.set(key, this.count);
    if (records.length === 0) return;
    const print = createHash('sha256').update(JSON.stringify(records)).digest('base64url');
    const earlier = this.contents.get(print);
    if (earlier !== undefined) {
      throw this.loop(`page ${this.count} lists exactly the records of page ${earlier}, behind a different next link`);
    }
    this.contents.set(print, this.count);
  }

  /** Before following `next`: throws past the page budget, or when `next` is a page already read. */
  follow(next: string): void {
    if (this.count >= this.o.maxPages) {
      throw new VendorApiError(
        this.o.vendor,
        'VENDOR_TOO_MANY_PAGES',
        `${this.o.where}: still more pages after ${this.o.maxPages} (the VENDOR_MAX_PAGES budget); stopped reading`,
      );
    }
    const earlier = this.urls.get(normalizePageUrl(next));
    if (earlier !== undefined) {
      throw this.loop(`the next link after page ${this.count} leads back to page ${earlier} (only cache-buster parameters differ)`);
    }
  }

  private loop(what: string): VendorApiError {
    return new VendorApiError(this.o.vendor, 'VENDOR_PAGING_LOOP', `${this.o.where}: paging goes round in a loop: ${what}; stopped reading`);
  }
}
