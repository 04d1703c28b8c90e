/**
 * A root service that owns one WebSocket to the echo server: the messages and the connection
 * state as signals (`messages`, `state`, for templates) and as observables (`messages$`,
 * `state$`, for RxJS code), `send()`, `close()`, reconnection after a drop, and a clean close
 * (1000) when the app is destroyed.
 *
 * On the server (server-side rendering, prerendering) it opens no socket: the page is rendered
 * in its initial state ('connecting', no messages), and the browser connects after hydration.
 *
 * Its configuration comes from three injection tokens with defaults, so an app or a test can
 * swap the URL, the WebSocket constructor and the reconnect policy:
 *
 *   bootstrapApplication(App, {
 *     providers: [...appConfig.providers, { provide: SOCKET_URL, useValue: 'wss://echo.example.com' }],
 *   });
 */
import { isPlatformBrowser } from '@angular/common';
import { DestroyRef, DOCUMENT, inject, Injectable, InjectionToken, PLATFORM_ID, type Signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { catchError, EMPTY, Observable, of, scan } from 'rxjs';
import {
  WebSocket,
  WebSocketError,
  type RxWebSocket,
  type SocketState,
  type WebSocketConstructor,
  type WsMessageEvent,
} from 'brython-websocket';
import { reconnect, type ReconnectFeature } from 'brython-websocket/resilience';

/** Set at build time by angular.json's `define` (`ng build --define ECHO_URL="'wss://…'"`); '' for this page's own origin. */
declare const ECHO_URL: string | undefined;

/** The echo server's URL: ECHO_URL when set at build time, else /echo on the page's own origin. */
export function defaultSocketUrl(document: Document): string {
  if (typeof ECHO_URL === 'string' && ECHO_URL !== '') return ECHO_URL;
  const page = new URL(document.location.href);
  return `${page.protocol === 'https:' ? 'wss:' : 'ws:'}//${page.host}/echo`;
}

/** The server's URL. By default /echo on the page's origin (or the build-time ECHO_URL). */
export const SOCKET_URL = new InjectionToken<string>('SOCKET_URL', {
  providedIn: 'root',
  factory: () => defaultSocketUrl(inject(DOCUMENT)),
});

/** The WebSocket constructor: a `FakeWebSocket` in tests. Optional: the platform's by default. */
export const WEBSOCKET_CTOR = new InjectionToken<WebSocketConstructor>('WEBSOCKET_CTOR');

/** How to reconnect after a drop: `reconnect(…)` from 'brython-websocket/resilience', or `false` (never). */
export const SOCKET_RECONNECT = new InjectionToken<ReconnectFeature | false>('SOCKET_RECONNECT', {
  providedIn: 'root',
  factory: () => reconnect({ initialDelay: 500, maxDelay: 5000 }),
});

/** How many messages the `messages` signal keeps, newest last. */
export const MESSAGE_HISTORY = 100;

/** The close reason the server sees when the app (its root injector) is destroyed. */
export const DESTROY_REASON = 'app destroyed';

/** The close reason the server sees after `close()`. */
export const CLOSE_REASON = 'closed by the user';

/** The deserializer: text messages only; a binary one is skipped (a `DecodeError` on the socket's `error$`). */
function text(event: WsMessageEvent): string {
  if (typeof event.data !== 'string')
    throw new TypeError('EchoService takes text messages; a binary message was skipped');
  return event.data;
}

@Injectable({ providedIn: 'root' })
export class EchoService {
  /**
   * Each text message from the server. Hot: a subscriber gets the messages from then on. It
   * completes when the socket closes for good (`close()`, the app destroyed, or a clean close
   * the policy does not reconnect after), and errors with the `CloseError` when that close was
   * unclean (reconnection given up). On the server it completes at once.
   */
  readonly messages$: Observable<string>;
  /** 'connecting', 'open', 'closing', 'reconnecting', then 'closed' for good; the current one on subscribe. */
  readonly state$: Observable<SocketState>;
  /** The last `MESSAGE_HISTORY` messages, newest last. Keeps them after the socket has closed. */
  readonly messages: Signal<readonly string[]>;
  /** The connection state, as a signal. Stays 'connecting' on the server. */
  readonly state: Signal<SocketState>;

  /** Undefined on the server. */
  private readonly socket: RxWebSocket<string, string> | undefined;

  constructor() {
    if (isPlatformBrowser(inject(PLATFORM_ID))) {
      const WebSocketCtor = inject(WEBSOCKET_CTOR, { optional: true });
      const socket = WebSocket<string, string>(inject(SOCKET_URL), {
        reconnect: inject(SOCKET_RECONNECT),
        deserializer: text,
        ...(WebSocketCtor === null ? {} : { WebSocketCtor }),
      });
      this.socket = socket;
      // A read-only view: the socket itself is also an Observer, which callers should not get.
      this.messages$ = new Observable<string>((subscriber) => socket.subscribe(subscriber));
      this.state$ = socket.state$;
      inject(DestroyRef).onDestroy(() => socket.close(1000, DESTROY_REASON));
    } else {
      this.socket = undefined;
      this.messages$ = EMPTY;
      this.state$ = of<SocketState>('connecting');
    }

    // `manualCleanup`: the signals follow the socket to its end ('closing', then 'closed')
    // instead of stopping at destroy time; their subscriptions end when the socket's streams
    // complete, at its final close, so nothing outlives the socket.
    this.state = toSignal(this.state$, { requireSync: true, manualCleanup: true });
    this.messages = toSignal(
      this.messages$.pipe(
        scan((history: readonly string[], message: string) => [...history.slice(1 - MESSAGE_HISTORY), message], []),
        // The history stays readable after an unclean final close; `state` says 'closed'.
        catchError(() => EMPTY),
      ),
      { initialValue: [], manualCleanup: true },
    );
  }

  /**
   * Sends `message`. Returns `true` when it went out at once, `false` when it was queued
   * (connecting or reconnecting: it goes out, in order, on the next open). Throws
   * `ERR_WS_INVALID_STATE` once the socket is closed for good, and on the server.
   */
  send(message: string): boolean {
    if (this.socket === undefined) {
      throw new WebSocketError(
        'ERR_WS_INVALID_STATE',
        'EchoService has no socket on the server: send from the browser, e.g. in an event handler',
      );
    }
    return this.socket.send(message);
  }

  /** Closes the socket for good with 1000 (no reconnect). Idempotent; does nothing on the server. */
  close(): void {
    this.socket?.close(1000, CLOSE_REASON);
  }
}
