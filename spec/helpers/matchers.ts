/**
 * vitest's asymmetric matchers, typed as the values they stand for. vitest types them as `any`,
 * which would switch off type checking of the expected object they sit in.
 */
import { expect } from 'vitest';

/** Stands for a string that `pattern` matches. */
export function stringMatching(pattern: RegExp | string): string {
  return expect.stringMatching(pattern) as string;
}

/** Stands for a string that contains `text`. */
export function stringContaining(text: string): string {
  return expect.stringContaining(text) as string;
}

/** Stands for an object that has at least these properties, compared as `toEqual()` does. */
export function objectContaining<T extends object>(properties: T): T {
  return expect.objectContaining<unknown>(properties) as T;
}
