import type { MessageData, SendData, WsMessageEvent } from './types.js';

/** Turns a value given to `next()` into what the socket sends. */
export type Serializer<Out> = (value: Out) => SendData;
/** Turns a message event into what the subject face emits. A throw skips the message (`DecodeError`). */
export type Deserializer<In> = (event: WsMessageEvent) => In;

/** The default serializer: what you give is what is sent, as in Brython. */
export const identitySerializer: Serializer<SendData> = (value) => value;
/** The default deserializer: the event's `data`, text staying text, as in Brython. */
export const identityDeserializer: Deserializer<MessageData> = (event) => event.data;

/** `JSON.stringify`, typed as it behaves: `undefined` for a function, a symbol or `undefined` itself. */
const stringify: (value: unknown) => string | undefined = JSON.stringify;

/**
 * A JSON codec to spread into the options: `JSON.stringify` out, `JSON.parse` in. A text
 * message that is not JSON, or a binary message, is skipped by the subject face and
 * reported on `error$` as a `DecodeError` carrying the raw data; the socket stays open.
 * `JSON.parse` makes own properties, so a `"__proto__"` key cannot pollute prototypes.
 *
 * @example
 * import { WebSocket, json } from 'brython-websocket';
 * const ws = WebSocket<{ price: number }>('wss://example.test/ticks', { ...json() });
 * ws.subscribe((tick) => console.log(tick.price));
 */
export function json<In = unknown, Out = unknown>(): { serializer: Serializer<Out>; deserializer: Deserializer<In> } {
  return {
    serializer: (value) => {
      const text = stringify(value);
      if (text === undefined) throw new TypeError(`JSON cannot encode ${typeof value}`);
      return text;
    },
    deserializer: (event) => {
      if (typeof event.data !== 'string') {
        throw new TypeError('a binary message is not JSON text');
      }
      return JSON.parse(event.data) as In;
    },
  };
}
