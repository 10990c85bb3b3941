/**
 * The name webex-node-bot-framework gives the webhooks it creates: base64("<authority of webhookUrl> <botEmail>"),
 * the authority being `webhookUrl.split('/')[2]` (host:port). It is how the framework (and the webhook doctor)
 * tell the bot's own webhooks from any other webhook of the token (webex-platform.md 7.3).
 */
export function frameworkWebhookName(webhookUrl: string, botEmail: string): string {
  return Buffer.from(`${webhookUrl.split('/')[2] ?? ''} ${botEmail}`).toString('base64');
}
