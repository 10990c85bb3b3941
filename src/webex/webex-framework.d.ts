// Ambient types for webex-node-bot-framework 2.3.14, which ships none. Only what the adapter and the tests
// use is declared; see node_modules/webex-node-bot-framework/lib and webex-platform.md 7.4-7.5.

declare module 'webex-node-bot-framework' {
  import { EventEmitter } from 'node:events';

  namespace Framework {
    interface FrameworkOptions {
      token: string;
      webhookUrl?: string;
      webhookSecret?: string;
      webhookRequestJSONLocation?: string;
      removeWebhooksOnStart?: boolean;
      maxStartupSpaces?: number;
      messageFormat?: 'text' | 'markdown' | 'html';
      id?: string;
      restrictedToEmailDomains?: string;
      guideEmails?: string;
    }

    interface Person {
      id: string;
      emails?: string[];
      displayName?: string;
      orgId?: string;
      type?: string;
    }

    interface Room {
      id: string;
      title?: string;
      type?: 'direct' | 'group';
      isLocked?: boolean;
    }

    interface Message {
      id: string;
      roomId: string;
      roomType?: 'direct' | 'group';
      personId: string;
      personEmail?: string;
      text?: string;
      markdown?: string;
      html?: string;
      mentionedPeople?: string[];
      mentionedGroups?: string[];
      parentId?: string;
      files?: string[];
      created?: string;
    }

    interface AttachmentAction {
      id: string;
      type: string;
      messageId: string;
      personId: string;
      roomId: string;
      inputs: unknown;
      created?: string;
    }

    interface MessageTrigger {
      type: 'message';
      id: string;
      text?: string;
      args: string[];
      message: Message;
      person: Person;
      personId: string;
    }

    interface AttachmentActionTrigger {
      type: 'attachmentAction';
      id: string;
      attachmentAction: AttachmentAction;
      person: Person;
      personId: string;
    }

    type Trigger = MessageTrigger | AttachmentActionTrigger;

    interface Bot extends EventEmitter {
      id: string;
      active: boolean;
      person: Person;
      email: string;
      room: Room;
      membership: { id: string; roomId: string; personId: string };
      isDirect: boolean;
      isGroup: boolean;
      /** The Webex JS SDK instance (untyped). */
      webex: unknown;
    }

    interface Webhook {
      id: string;
      name: string;
      targetUrl: string;
      resource: string;
      event: string;
    }
  }

  class Framework extends EventEmitter {
    constructor(options: Framework.FrameworkOptions);
    id: string;
    active: boolean;
    initialized: boolean;
    isBotAccount: boolean;
    person: Framework.Person;
    email: string;
    options: Framework.FrameworkOptions & { webhookRequestJSONLocation: string };
    /** `{}` until created, the firehose webhook once created, `false` when creation failed. */
    webhook: Partial<Framework.Webhook> | false;
    cardsWebhook: Partial<Framework.Webhook>;
    bots: Framework.Bot[];
    /** The Webex JS SDK instance (untyped): `config.people`, `people.batcher`, ... */
    webex: unknown;
    /** Called by framework.debug() instead of the `debug` module when set. */
    debugger?: (message: string, id: string) => void;
    start(): Promise<boolean>;
    stop(): Promise<boolean>;

    on(
      event: 'message' | 'mentioned',
      listener: (bot: Framework.Bot, trigger: Framework.MessageTrigger, id: string) => void,
    ): this;
    on(
      event: 'attachmentAction',
      listener: (bot: Framework.Bot, trigger: Framework.AttachmentActionTrigger, id: string) => void,
    ): this;
    on(event: 'spawn', listener: (bot: Framework.Bot, id: string, addedBy?: string) => void): this;
    on(event: 'despawn', listener: (bot: Framework.Bot, id: string, removedBy?: string) => void): this;
    on(event: 'log', listener: (message: string) => void): this;
    on(event: 'initialized' | 'start' | 'stop', listener: (id: string) => void): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  export = Framework;
}

declare module 'webex-node-bot-framework/webhook' {
  interface WebhookRequest {
    body: unknown;
    headers: Record<string, string | undefined>;
  }

  /** Returns the framework's request handler; it settles after fetches and event dispatch. */
  function webhook(
    framework: InstanceType<typeof import('webex-node-bot-framework')>,
  ): (req: WebhookRequest) => Promise<unknown>;

  export = webhook;
}
