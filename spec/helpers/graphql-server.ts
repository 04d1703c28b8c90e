/**
 * A graphql-ws server (`graphql-ws/use/ws`) on loopback and port 0, for the specs that run
 * graphql-ws's client on RxWebSocket: spec/integration/graphql-ws.spec.ts in Node, and
 * spec/browser/graphql-ws.spec.ts in Chromium (started by the browser project's global setup).
 * Node only.
 *
 * The schema: `hello` (a query: 'world'), `ticks` (a subscription of what the test publishes
 * with `ticks.publish(n)`) and `countdown(from)` (a subscription of from, from - 1, ..., 1).
 */
import { useServer } from 'graphql-ws/use/ws';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { listen } from './node-servers.js';

/** A promise resolved or rejected from outside. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** A deferred of `T`; `deferred()` alone is a signal that carries no value. */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Ticks the test publishes, for every subscriber of `ticks`. */
function ticker(): { publish(n: number): void; subscribe(): AsyncGenerator<{ ticks: number }> } {
  const waiting = new Set<(n: number) => void>();
  return {
    publish: (n) => {
      for (const next of [...waiting]) next(n);
    },
    async *subscribe() {
      for (;;) {
        const n = await new Promise<number>((resolve) => {
          const once = (value: number): void => {
            waiting.delete(once);
            resolve(value);
          };
          waiting.add(once);
        });
        yield { ticks: n };
      }
    },
  };
}

// graphql through Node's resolution (its CommonJS build), the copy graphql-ws's server loads:
// vite would hand this file the ESM build, and graphql refuses a schema from another copy.
const { GraphQLInt, GraphQLObjectType, GraphQLSchema, GraphQLString } = createRequire(import.meta.url)(
  'graphql',
) as typeof import('graphql');

export const ticks = ticker();
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { hello: { type: GraphQLString, resolve: () => 'world' } } }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: {
      ticks: { type: GraphQLInt, subscribe: () => ticks.subscribe() },
      countdown: {
        type: GraphQLInt,
        args: { from: { type: GraphQLInt } },
        // eslint-disable-next-line @typescript-eslint/require-await -- graphql takes only an AsyncIterable from a subscribe resolver, and this one has nothing to wait for
        subscribe: async function* (_: unknown, { from }: { from: number }) {
          for (let n = from; n > 0; n--) yield { countdown: n };
        },
      },
    },
  }),
});

export interface GraphqlServer {
  url: string;
  port: number;
  /** How many connections the server holds now. */
  open(): number;
  /** Every connection arriving from now on resolves the next of these. */
  connected: Deferred<void>[];
  /** Kills the server: every TCP socket destroyed, no close frame, then it stops listening. */
  kill(): Promise<void>;
}

export async function startGraphqlServer(port = 0): Promise<GraphqlServer> {
  const http: Server = createServer();
  const sockets = new Set<Socket>();
  http.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const wss = new WebSocketServer({ server: http, path: '/graphql' });
  const server: GraphqlServer = {
    url: '',
    port: 0,
    open: () => wss.clients.size,
    connected: [],
    kill: async () => {
      await disposer.dispose();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  wss.on('connection', () => server.connected.shift()?.resolve());
  const disposer = useServer({ schema }, wss);
  server.port = await listen(http, port);
  server.url = `ws://127.0.0.1:${server.port}/graphql`;
  return server;
}
