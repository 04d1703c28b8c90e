/**
 * graphql-ws's client in Chromium, with `webSocketImpl: RxWebSocket` as it is: no options, so
 * every socket is the browser's own WebSocket under an RxWebSocket. Against the graphql-ws
 * server the browser project's global setup starts in Node (spec/helpers/graphql-server.ts):
 * a query and a subscription on one socket, then the client disposed and the socket closed.
 * The server-killed-mid-subscription case runs in Node: spec/integration/graphql-ws.spec.ts.
 */
import { createClient } from 'graphql-ws';
import { describe, expect, inject, it } from 'vitest';
import { RxWebSocket } from '../../src/index.js';

const url = inject('graphqlUrl');

describe('graphql-ws in Chromium with webSocketImpl: RxWebSocket', () => {
  it('runs a query and a subscription on one socket, and closes it when disposed', async () => {
    const made: RxWebSocket[] = [];
    class Tracked extends RxWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        made.push(this);
      }
    }
    const client = createClient({ url, webSocketImpl: Tracked, retryAttempts: 0, lazy: false });
    const countdown = new Promise<unknown[]>((resolve, reject) => {
      const values: unknown[] = [];
      client.subscribe(
        { query: 'subscription { countdown(from: 3) }' },
        { next: (v) => values.push(v.data), error: reject, complete: () => resolve(values) },
      );
    });
    const query = await client.iterate({ query: '{ hello }' }).next();
    expect(query.value).toEqual({ data: { hello: 'world' } });
    expect(await countdown).toEqual([{ countdown: 3 }, { countdown: 2 }, { countdown: 1 }]);
    expect(made).toHaveLength(1);
    expect(made[0]!.protocol).toBe('graphql-transport-ws');
    await client.dispose();
    if (made[0]!.state !== 'closed')
      await new Promise<void>((resolve) => made[0]!.state$.subscribe({ complete: resolve }));
    expect(made[0]!.readyState).toBe(WebSocket.CLOSED);
  });
});
