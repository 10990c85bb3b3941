import type Framework from 'webex-node-bot-framework';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import { stopQuietly } from './stop-quietly.js';

export interface WaitForWebhooksOptions {
  /** Only for the error message. */
  webhookUrl: string;
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  log: Logger;
}

/**
 * Waits until the started framework has created its firehose and cards webhooks and returns the name they carry.
 * Otherwise stops the framework (keeping webhooks) and throws AppError WEBEX_WEBHOOK_SETUP_FAILED.
 */
export async function waitForWebhooks(
  framework: Framework,
  options: WaitForWebhooksOptions,
): Promise<string> {
  const deadline = performance.now() + options.timeoutMs;
  for (;;) {
    const hook = framework.webhook;
    if (hook !== false && typeof hook.name === 'string' && typeof framework.cardsWebhook.id === 'string')
      break;
    if (hook === false || performance.now() > deadline) {
      await stopQuietly(framework, options.log);
      throw new AppError(
        'WEBEX_WEBHOOK_SETUP_FAILED',
        `Webex webhooks for ${options.webhookUrl} were not created${hook === false ? '' : ' in time'}: ` +
          'check the bot token and that the webhook URL is reachable by Webex; see the log for the API error',
      );
    }
    await options.sleep(10);
  }
  return (framework.webhook as Framework.Webhook).name;
}
