import type { FeatureHooks, FlowLink } from './features.js';
import type { RxWebSocket } from './websocket.js';

/** One link per socket, made by the first reader or writer that asks for it. */
const links = new WeakMap<object, FlowLink>();

/**
 * The hook of `brython-websocket/streams` into a socket (see `FlowLink`): holding its transport
 * paused, and what its backpressure depends on. It joins the socket's feature hooks on first use
 * (after `reconnect()`, `heartbeat()` and `connectTimeout()`, which it tells of each pause and
 * resume), so the main entry ships none of it. It reads the socket's private members by name,
 * which TypeScript checks (the build shortens these names everywhere, quoted ones included:
 * `mangleQuoted` in tsup.config.ts).
 */
export function flowLink(socket: RxWebSocket<unknown, unknown>): FlowLink {
  let link = links.get(socket);
  if (link === undefined) links.set(socket, (link = makeLink(socket)));
  return link;
}

function makeLink(socket: RxWebSocket<unknown, unknown>): FlowLink {
  let holds = 0;
  /** The current native socket is paused by the holds. */
  let paused = false;
  /** Pauses or resumes reading, as the holds and `open` (the connection is open) say. */
  const apply = (open: boolean): void => {
    const pause = holds > 0 && open;
    const native = socket['_native'];
    if (pause === paused || !canPause(native)) return;
    paused = pause;
    if (pause) native.pause();
    else native.resume();
    socket['_step'](pause ? 'paused' : 'resumed');
  };
  const hooks: FeatureHooks = {
    // Each new connection is paused before its open handlers run, while holds are on.
    open: () => apply(true),
    // The closing handshake needs the server's close frame read: a paused socket resumes.
    stop: () => apply(false),
    // The native socket is gone: the next one starts unpaused.
    closed: () => {
      paused = false;
    },
  };
  socket['_hooks'] = [...socket['_hooks'], hooks];
  return {
    get canPause() {
      return canPause(socket['_native']);
    },
    scheduler: socket['_scheduler'],
    maxQueue: socket['_maxQueue'],
    get closeRequested() {
      return socket['_closeRequested'] === true;
    },
    hold() {
      holds++;
      apply(socket.state === 'open');
    },
    release() {
      if (holds > 0) holds--;
      apply(socket.state === 'open');
    },
    report: (error) => socket['_emitError'](error),
  };
}

/** Whether `native` can stop reading: it has `pause()` and `resume()`, as `ws` has. */
function canPause<N extends { pause?(): void; resume?(): void }>(
  native: N,
): native is N & Required<Pick<N, 'pause' | 'resume'>> {
  return typeof native.pause === 'function' && typeof native.resume === 'function';
}
