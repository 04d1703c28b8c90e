/** Narrowing a value to a class in a spec, checked at run time instead of cast. */

/** `value` as an instance of `Class`; anything else fails the test, naming what it got. */
export function instanceOf<T>(value: unknown, Class: abstract new (...args: never[]) => T): T {
  if (value instanceof Class) return value;
  throw new TypeError(`expected an instance of ${Class.name}, got ${Object.prototype.toString.call(value)}`);
}
