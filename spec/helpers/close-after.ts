/** Cleanup shared by the specs that start real servers and sockets. */
import { onTestFinished } from 'vitest';

/**
 * Closes `thing` when the test ends, passed or failed. Call it inside a test: what was handed
 * over last is closed first, so a client made after its server is closed before it.
 */
export function closeAfter<T extends { close(): unknown }>(thing: T): T {
  onTestFinished(async () => {
    await thing.close();
  });
  return thing;
}
