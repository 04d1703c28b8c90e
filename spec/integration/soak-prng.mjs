/**
 * The soak's randomness, all of it from one seed, so that a failing run can be replayed with
 * `SOAK_SEED=<seed>`: mulberry32, a small 32-bit generator, and `unit()`, one draw keyed by
 * (seed, a, b), so that a decision about socket a's message b does not depend on the order in
 * which messages of other sockets happened to arrive.
 */

/** mulberry32: a generator of numbers uniform in [0, 1) from a 32-bit seed. */
export function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed for the stream keyed by (seed, a, b). */
export function mix(seed, a, b = 0) {
  return (seed ^ Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca77)) >>> 0;
}

/** One draw in [0, 1) keyed by (seed, a, b). */
export function unit(seed, a, b) {
  return mulberry32(mix(seed, a, b))();
}
