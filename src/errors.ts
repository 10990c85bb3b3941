/** Every error the app raises on purpose carries a stable `code`, a message and, where known, its cause. */
export class AppError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

export interface ConfigIssue {
  key: string;
  message: string;
}

/** Startup configuration is invalid; lists every bad key at once. */
export class ConfigError extends AppError {
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[]) {
    super(
      'CONFIG_INVALID',
      `Invalid configuration:\n${issues.map((i) => `  - ${i.key}: ${i.message}`).join('\n')}`,
    );
    this.issues = issues;
  }
}

/** A webhook whose signature is missing or wrong. */
export class SignatureError extends AppError {}

/** A ledger rule refused an operation; `code` is one of LedgerErrorCode. */
export class LedgerError extends AppError {}

/** The data file could not be read, parsed or written. */
export class StoreError extends AppError {
  readonly file: string;
  constructor(code: string, file: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.file = file;
  }
}

/** A vendor API call failed after retries, or answered with something we cannot trust. */
export class VendorApiError extends AppError {
  readonly vendor: string;
  readonly status: number | null;
  readonly vendorCode: string | null;
  readonly trackingId: string | null;
  constructor(
    vendor: string,
    code: string,
    message: string,
    details: { status?: number | null; vendorCode?: string | null; trackingId?: string | null; cause?: unknown } = {},
  ) {
    super(code, `${vendor}: ${message}`, { cause: details.cause });
    this.vendor = vendor;
    this.status = details.status ?? null;
    this.vendorCode = details.vendorCode ?? null;
    this.trackingId = details.trackingId ?? null;
  }
}

export class NotFoundError extends AppError {}

/** The error's message, for any thrown value. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
