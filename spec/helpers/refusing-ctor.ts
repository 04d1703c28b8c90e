/** A WebSocket constructor that refuses every socket, shared by the specs of that path. */
import type { WebSocketConstructor } from '../../src/types.js';

/**
 * A WebSocket constructor whose every `new` throws what `make(url)` returns, as a real one does
 * when it refuses its arguments (the DOM's SyntaxError for a bad URL). A plain function: `new`
 * runs it as it would a class's constructor, and it makes nothing else a class would be needed for.
 */
export function refusingCtor(make: (url: string) => unknown): WebSocketConstructor {
  return function RefusingWebSocket(url: string): never {
    throw make(url);
  } as unknown as WebSocketConstructor;
}
