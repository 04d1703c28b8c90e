/** Reading the text out of a message in a spec that only ever sends and receives text. */

/**
 * `data` when it is a string. A message the spec did not expect to be binary (an ArrayBuffer, a
 * typed array, a Blob, a Buffer) fails the test with what arrived, instead of turning into
 * `[object ArrayBuffer]` and failing later with a puzzling diff.
 */
export function textOf(data: unknown): string {
  if (typeof data === 'string') return data;
  throw new TypeError(`expected a text message, got ${Object.prototype.toString.call(data)}`);
}
