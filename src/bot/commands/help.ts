import type { Command } from '../command.js';
import { byPattern } from '../command.js';
import { replyCard } from '../reply-card.js';
import { COMMANDS } from '../command-table.js';

export const help: Command = {
  name: 'help',
  usage: 'help',
  help: 'What I can do.',
  adminOnly: false,
  match: byPattern(/^(help|\?|commands|menu|what can you do|how does this work)$/i),
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
