import { openCore, type Command } from './open-core.js';
import { USAGE } from './usage.js';

export const SERVE_COMMANDS: Record<string, Command> = {
  serve: {
    usage: USAGE.serve,
    async run(opts) {
      // The server (node:http, the API, the renderer's files) loads only for `serve`: see [Note: heavy modules on first use].
      const { startAppServer } = await import('../server/app-server.js');
      const core = openCore(opts);
      const warn = (m: string) => process.stderr.write(`warning: ${m}\n`);
      try {
        const { server, library } = await startAppServer({
          core,
          ...(opts.port !== undefined ? { port: opts.port } : {}),
          ...(opts.renderer ? { rendererDir: opts.renderer } : {}),
          onWarning: warn,
        });
        // The URL is the first line of stdout: scripts and tests read it from there.
        process.stdout.write(`${server.url}\n`);
        process.stderr.write(`Shoebox is serving ${core.libraryDir} at the address above (loopback only); Ctrl-C to stop\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await server.close();
        await library.close();
      } finally {
        await core.close();
      }
    },
  },
};
