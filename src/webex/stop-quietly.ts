import type Framework from 'webex-node-bot-framework';
import type { Logger } from '../log.js';
import { sdkErrorSummary } from './sdk-error-summary.js';

/** framework.stop() without deleting webhooks: a rolling restart would otherwise delete the new instance's. */
export async function stopQuietly(framework: Framework, log: Logger): Promise<void> {
  const sdk = framework.webex as { webhooks?: { remove?: unknown } } | undefined;
  const webhooks = sdk?.webhooks;
  const remove = webhooks?.remove;
  if (webhooks !== undefined) webhooks.remove = () => Promise.resolve(true);
  try {
    await framework.stop();
  } catch (err) {
    log.warn({ err: sdkErrorSummary(err) }, 'framework stop failed');
  } finally {
    if (webhooks !== undefined) webhooks.remove = remove;
  }
}
