/**
 * Watches the TCP socket handles made from now on, client and server ends alike. An
 * `async_hooks` init hook sees each `TCPWRAP` handle as it is made, and wraps that one handle's
 * `close` so that its close callback, the moment the handle is gone from the event loop, is
 * seen too. (The hooks' own destroy callback comes later, on an unreferenced immediate that
 * waits for some other event to wake the loop.) So `allClosed()` is an event to await, not a
 * poll; and, unlike a count of `process.getActiveResourcesInfo()`, the sockets of earlier tests
 * and of the runner do not blur it.
 */
import { createHook } from 'node:async_hooks';

export interface SocketWatch {
  /** How many TCP handles were made since the watch began. */
  made(): number;
  /** How many of them are still open. */
  open(): number;
  /** Resolves once every TCP handle made since the watch began has closed. */
  allClosed(): Promise<void>;
  /** Stops watching handles made from now on (those already seen stay watched). */
  stop(): void;
}

type Close = (this: unknown, callback?: (...args: unknown[]) => void) => unknown;

export function watchSockets(): SocketWatch {
  const live = new Set<number>();
  let made = 0;
  let waiters: (() => void)[] = [];
  const settle = (): void => {
    if (live.size > 0) return;
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };
  const hook = createHook({
    init(id, type, _trigger, resource) {
      if (type !== 'TCPWRAP') return;
      const handle = resource as { close?: Close };
      const close = handle.close;
      if (typeof close !== 'function') return;
      live.add(id);
      made++;
      handle.close = function (this: unknown, callback) {
        return close.call(this, (...args) => {
          live.delete(id);
          callback?.(...args);
          settle();
        });
      };
    },
  }).enable();
  return {
    made: () => made,
    open: () => live.size,
    allClosed: () =>
      new Promise<void>((resolve) => {
        waiters.push(resolve);
        settle();
      }),
    stop: () => void hook.disable(),
  };
}
