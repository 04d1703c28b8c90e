/**
 * Promises resolved from outside, and the connection log built on them, shared by the spec
 * servers. No Node API: a browser-side spec may import it too.
 */

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

/** What a test server tells of its connections (`C`) and of how each ended (`E`). */
export interface Connections<C, E> {
  /** The connections so far, in the order they were logged. */
  readonly connections: readonly C[];
  /** Resolves when connection `index` (0-based) has arrived: at once when it already has. */
  readonly connection: (index: number) => Promise<C>;
  /** Resolves with how connection `index` ended, once it has. */
  readonly closeOf: (index: number) => Promise<E>;
}

/** The server's side of `Connections`: it logs each arrival and each end. */
export interface ConnectionLog<C, E> extends Connections<C, E> {
  arrived(index: number, connection: C): void;
  ended(index: number, end: E): void;
}

/**
 * A `ConnectionLog` whose waits may start before or after the events they wait for. `E`
 * defaults to `void`: connections whose end carries nothing but the fact that it came.
 */
export function connectionLog<C, E = void>(): ConnectionLog<C, E> {
  const connections: C[] = [];
  const arrivals = slots<C>();
  const ends = slots<E>();
  return {
    connections,
    connection: (index) => arrivals(index).promise,
    closeOf: (index) => ends(index).promise,
    arrived: (index, connection) => {
      connections.push(connection);
      arrivals(index).resolve(connection);
    },
    ended: (index, end) => ends(index).resolve(end),
  };
}
