/**
 * EchoService (echo.service.ts) through Angular's own injector (`Injector.create` from the real
 * `@angular/core`, no compiler, no TestBed), against a real `ws` echo server on port 0.
 *
 *   npx vitest run examples/angular-service/echo.service.spec.ts
 */
import { Injector, type DestroyableInjector } from '@angular/core';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket as WsCtor } from 'ws';
import { reconnect } from 'brython-websocket/resilience';
import { startEchoServer, type EchoServer } from '../../spec/integration/server.js';
import { DESTROY_REASON, EchoService, provideEchoService, type EchoServiceConfig } from './echo.service.js';

let server: EchoServer;
let injector: DestroyableInjector | undefined;

beforeEach(async () => {
  server = await startEchoServer();
});

afterEach(async () => {
  injector?.destroy();
  injector = undefined;
  await server.close();
});

function createService(config: Partial<EchoServiceConfig> = {}): EchoService {
  injector = Injector.create({
    providers: provideEchoService({ url: server.url, WebSocketCtor: WsCtor, ...config }),
    name: 'echo test',
  });
  return injector.get(EchoService);
}

describe('EchoService in an Angular injector, on a real ws server', () => {
  it('sends (queued while connecting, then at once), and sees the echoes in messages$ and in the messages signal', async () => {
    const service = createService();
    expect(service.state()).toBe('connecting');
    expect(service.messages()).toEqual([]);

    const echoes = firstValueFrom(service.messages$.pipe(take(2), toArray()));
    expect(service.send('hello')).toBe(false); // queued: still connecting
    expect(await firstValueFrom(service.messages$)).toBe('hello');
    expect(service.state()).toBe('open');
    expect(service.send('world')).toBe(true); // open: sent at once
    expect(await echoes).toEqual(['hello', 'world']);
    expect(service.messages()).toEqual(['hello', 'world']);
    expect(server.connections).toHaveLength(1);
    expect(server.connections[0]!.received).toEqual([
      { binary: false, data: 'hello' },
      { binary: false, data: 'world' },
    ]);
  });

  it('injector.destroy() closes the socket with 1000, the server sees it, and the observable and signals stop', async () => {
    const service = createService();
    service.send('before');
    expect(await firstValueFrom(service.messages$)).toBe('before');
    const rest = lastValueFrom(service.messages$.pipe(toArray()));

    injector!.destroy();
    injector = undefined;
    expect(service.state()).toBe('closing');
    expect(await server.closeOf(0)).toEqual({ code: 1000, reason: DESTROY_REASON });
    // messages$ completes (no error, nothing more), and the signals end on the final state.
    expect(await rest).toEqual([]);
    expect(service.state()).toBe('closed');
    expect(service.messages()).toEqual(['before']);
    expect(() => service.send('after')).toThrow(expect.objectContaining({ code: 'ERR_WS_INVALID_STATE' }));
    expect(await lastValueFrom(service.messages$.pipe(toArray()))).toEqual([]);
    expect(server.connections).toHaveLength(1);
  });

  it('a server-side drop: the service reconnects by itself, and the echo works on the new connection', async () => {
    const service = createService({ reconnect: reconnect({ initialDelay: 10, jitter: 0 }) });
    service.send('one');
    expect(await firstValueFrom(service.messages$)).toBe('one');

    (await server.connection(0)).terminate();
    const second = await server.connection(1);
    const again = firstValueFrom(service.messages$);
    service.send('two');
    expect(await again).toBe('two');
    expect(service.state()).toBe('open');
    expect(service.messages()).toEqual(['one', 'two']);
    expect(second.received).toEqual([{ binary: false, data: 'two' }]);
  });
});
