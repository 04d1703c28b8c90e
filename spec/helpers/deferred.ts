/** Promises resolved from outside, and a listen-on-a-free-port helper, shared by the spec servers. */
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Deferreds by index, made on first use, so a wait may start before or after the event. */
export function slots<T>(): (index: number) => Deferred<T> {
  const list: Deferred<T>[] = [];
  return (index) => {
    while (list.length <= index) list.push(deferred<T>());
    return list[index]!;
  };
}

/** Listens on 127.0.0.1 and a free port (never a fixed one); resolves with the port. */
export async function listen(server: Server | HttpServer): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
