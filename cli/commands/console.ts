import { once } from 'node:events';
import { startConsole } from '../console/start-console';
import { UsageError } from '../errors';
import { defineCommand } from '../framework/define-command';

/**
 * `console`: the operator console, a web server on 127.0.0.1 that serves the console's pages
 * and forwards their requests to the operator endpoint signed as you (docs/console.md). Runs
 * until Ctrl-C.
 */
export const consoleCommand = defineCommand({
  name: 'console',
  summary: 'the operator console in your browser: incidents, dry run with the apology as sent, approval, the run live, a notice\'s story (docs/console.md)',
  details: [
    'Serves on 127.0.0.1 only; open the printed address once (it carries this start\'s token, which becomes a cookie).',
    'Requests are signed with your own credentials, as the CLI signs them; the browser never sees them.',
  ],
  options: { port: { type: 'string', placeholder: '<port>', description: 'the port to listen on (default: a free one)' } },
  target: 'operator',
  examples: ['npx tsx cli/main.ts console', 'AWS_ACCESS_KEY_ID=bob AWS_SECRET_ACCESS_KEY=bob npx tsx cli/main.ts console', 'npx tsx cli/main.ts console --aws'],
  run: async ({ options, target, io }) => {
    const port = options.port === undefined ? undefined : Number(options.port);
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) throw new UsageError('--port must be a port number, 0-65535 (0: a free one).');
    const running = await startConsole(target, io.env, port === undefined ? {} : { port });
    io.print(`Operator console of the ${target.aws ? 'deployed stack' : 'local stack'}: open ${running.url}`);
    io.print('(the address works once per browser: its token becomes a cookie.) Ctrl-C stops it.');
    await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
    await running.close();
  },
});
