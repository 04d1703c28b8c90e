// Builds the Angular app and serves it next to the echo server, on one port:
//
//   npm run example:angular        (from the project root: builds the package first)
//
// http://127.0.0.1:4200/ is the prerendered app and ws://127.0.0.1:4200/echo the echo server
// (PORT sets another port). Type `drop` and Enter to drop every connection, and watch the app
// reconnect; Ctrl+C stops.

import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { startEchoServer } from '../echo-server.mjs';
import { buildAngularApp, formatFigures, installAngularApp, measureInitialJs } from './prepare.mjs';

try {
  const { npmCiMs } = await installAngularApp();
  if (npmCiMs !== undefined) console.log(`installed the app's packages (npm ci) in ${(npmCiMs / 1000).toFixed(1)} s`);
  const build = await buildAngularApp();
  console.log(formatFigures({ ms: build.ms, initial: await measureInitialJs(build.outputPath) }));

  const server = await startEchoServer({
    port: Number(process.env.PORT ?? 4200),
    path: '/echo',
    staticDir: join(build.outputPath, 'browser'),
  });
  console.log(`\nthe app:         ${server.httpUrl}`);
  console.log(`the echo server: ${server.url}`);
  console.log('type `drop` and Enter to drop every connection; Ctrl+C to stop\n');

  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => {
    if (line.trim() !== 'drop') return;
    const count = server.wss.clients.size;
    for (const client of server.wss.clients) client.terminate();
    console.log(`dropped ${count} connection(s)`);
  });
  const stop = () => {
    input.close();
    void server.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(`example:angular: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
