/**
 * graphql-ws's client on RxWebSocket, as a user would wire it: `webSocketImpl` is a class made
 * by `RxWebSocket.with({ WebSocketCtor })` (Node 20 has no global WebSocket; `ws` is the native),
 * against a real graphql-ws server (`graphql-ws/use/ws`) on loopback, port 0.
 *
 * graphql-ws drives its socket only through `onopen`/`onmessage`/`onerror`/`onclose`, and makes
 * a new socket for each retry; `reconnect` stays off, as docs/interop.md says. The spec kills the
 * server mid-subscription and checks that graphql-ws's own retry goes on, on new sockets, that no
 * old socket is left open at any time, and that nothing is left once the client is disposed.
 */
import { createClient, type Client } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import { RxWebSocket } from '../../src/websocket.js';
import { deferred, startGraphqlServer, ticks, type Deferred, type GraphqlServer } from '../helpers/graphql-server.js';

/** The sockets graphql-ws made, and how many older ones were still open when each was made. */
interface Made {
  sockets: RxWebSocket[];
  openWhenMade: number[];
  /** Resolves when the n-th socket (1-based) is made. */
  nth(n: number): Promise<void>;
}

function tracked(): { Socket: typeof RxWebSocket; made: Made } {
  const waits = new Map<number, Deferred<void>>();
  const made: Made = {
    sockets: [],
    openWhenMade: [],
    nth: (n) => {
      if (made.sockets.length >= n) return Promise.resolve();
      const wait = waits.get(n) ?? deferred();
      waits.set(n, wait);
      return wait.promise;
    },
  };
  const Base = RxWebSocket.with({ WebSocketCtor: WsWebSocket });
  class Socket extends Base {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      made.openWhenMade.push(made.sockets.filter((s) => s.state !== 'closed').length);
      made.sockets.push(this);
      waits.get(made.sockets.length)?.resolve();
    }
  }
  return { Socket: Socket as unknown as typeof RxWebSocket, made };
}

const servers: GraphqlServer[] = [];
const clients: Client[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.dispose();
  for (const server of servers.splice(0)) await server.kill().catch(() => undefined);
});

describe('graphql-ws with webSocketImpl: RxWebSocket', () => {
  it('runs a query and a subscription at once', async () => {
    const server = await startGraphqlServer();
    servers.push(server);
    const { Socket, made } = tracked();
    const client = createClient({ url: server.url, webSocketImpl: Socket, retryAttempts: 0 });
    clients.push(client);

    const first = deferred();
    const values: unknown[] = [];
    const subscribed = server.connected[0] ?? (server.connected[0] = deferred());
    const unsubscribe = client.subscribe<{ ticks: number }>(
      { query: 'subscription { ticks }' },
      {
        next: (v) => {
          values.push(v);
          first.resolve();
        },
        error: (e) => first.reject(e),
        complete: () => undefined,
      },
    );
    const query = await client.iterate<{ hello: string }>({ query: '{ hello }' }).next();
    expect(query.value).toEqual({ data: { hello: 'world' } });
    await subscribed.promise;
    // Publish until the server's subscription listens (it starts after the subscribe message).
    while (values.length === 0) {
      ticks.publish(1);
      await Promise.race([first.promise, new Promise((r) => setImmediate(r))]);
    }
    expect(values[0]).toEqual({ data: { ticks: 1 } });
    expect(made.sockets).toHaveLength(1);
    unsubscribe();
    await client.dispose();
    await new Promise<void>((resolve) => made.sockets[0]!.state$.subscribe({ complete: resolve }));
    expect(made.sockets[0]!.state).toBe('closed');
  });

  it('keeps retrying on new sockets when the server dies mid-subscription, leaving no old socket open', async () => {
    let server = await startGraphqlServer();
    servers.push(server);
    const port = server.port;
    const { Socket, made } = tracked();
    const connects: boolean[] = [];
    const client = createClient({
      url: server.url,
      webSocketImpl: Socket,
      retryAttempts: 1000,
      shouldRetry: () => true,
      retryWait: () => new Promise((resolve) => setTimeout(resolve, 5)),
      on: { connected: (_socket, _payload, wasRetry) => connects.push(wasRetry) },
    });
    clients.push(client);

    const values: number[] = [];
    const got = new Map<number, Deferred<void>>([1, 2].map((n) => [n, deferred()]));
    const arrived = deferred();
    server.connected.push(arrived);
    const unsubscribe = client.subscribe<{ ticks: number }>(
      { query: 'subscription { ticks }' },
      {
        next: (v) => {
          values.push(v.data!.ticks);
          got.get(v.data!.ticks)?.resolve();
        },
        error: (e) => got.get(1)!.reject(e),
        complete: () => undefined,
      },
    );
    await arrived.promise;
    // Publish until the server has registered the subscription (it does so after connection_ack).
    while (values.length === 0) {
      ticks.publish(1);
      await Promise.race([got.get(1)!.promise, new Promise((r) => setImmediate(r))]);
    }

    await server.kill();
    // graphql-ws retries against the dead port: each attempt is a new RxWebSocket.
    await made.nth(4);
    const sockets = made.sockets.slice(0, 3);
    expect(sockets.map((s) => s.state)).toEqual(['closed', 'closed', 'closed']);

    // The server comes back on the same port: the retry succeeds and the subscription resumes.
    const back = deferred();
    server = await startGraphqlServer(port);
    servers.push(server);
    server.connected.push(back);
    await back.promise;
    while (!values.includes(2)) {
      ticks.publish(2);
      await Promise.race([got.get(2)!.promise, new Promise((r) => setImmediate(r))]);
    }
    expect(connects[0]).toBe(false);
    expect(connects.at(-1)).toBe(true);

    unsubscribe();
    await client.dispose();
    const last = made.sockets.at(-1)!;
    if (last.state !== 'closed') await new Promise<void>((resolve) => last.state$.subscribe({ complete: resolve }));
    // At no time was an older socket still open when graphql-ws made a new one, and none is now.
    expect(made.openWhenMade.every((n) => n === 0)).toBe(true);
    expect(made.sockets.every((s) => s.state === 'closed' && s.readyState === RxWebSocket.CLOSED)).toBe(true);
    expect(made.sockets.length).toBeGreaterThanOrEqual(5);
  });
});
