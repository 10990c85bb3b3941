import { VendorApiError } from '../../src/errors.js';

/** The VendorApiError `p` rejects with; fails the test if it resolves or rejects with anything else. */
export async function caughtVendorError(p: Promise<unknown>): Promise<VendorApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof VendorApiError) return err;
    throw err;
  }
  throw new Error('expected a VendorApiError, but the call succeeded');
}
