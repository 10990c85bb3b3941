import type { Command } from '../command.js';
import { byPhrase } from '../by-phrase.js';
import { replyCard } from '../reply-card.js';
import { COMMANDS } from '../command-table.js';

export const help: Command = {
  name: 'help',
  usage: 'help',
  help: 'What I can do.',
  adminOnly: false,
  match: byPhrase([
    'help(?: .*)?',
    '(?:i )?need (?:some )?help(?: .*)?',
    'commands|menu|usage|instructions|manual|options|get started|getting started|start|what now',
    '(?:what|how) (?:can|do|should|could) (?:you|i) (?:do|say|ask|use(?: this| you| the bot)?)(?: here| for me| with you)?',
    'how (?:does|do) (?:this|it|you|the bot) work',
    'what (?:are|is) (?:the |your )?(?:commands|options)',
    'what do you do|who are you|what are you',
  ]),
  run: (ctx) =>
    Promise.resolve([
      replyCard(
        ctx.here,
        'help',
        {
          intro: ctx.roomType === 'group' ? 'Mention me in this space, e.g. "@License Bot my seats".' : 'Ask me about software licenses and seats.',
          commands: COMMANDS.map((c) => ({ usage: c.usage, description: c.help, adminOnly: c.adminOnly })),
          viewerIsAdmin: ctx.isAdmin,
        },
        ctx.parentId,
      ),
    ]),
};
