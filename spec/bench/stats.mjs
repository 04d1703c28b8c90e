/** The small figure helpers every bench section uses: medians, run order, table cells. */

/** The median of `xs` (the mean of the two middle values for an even count). */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** `xs` rotated by `k`: run k starts with a different contender, so none always runs first. */
export const rotate = (xs, k) => xs.map((_, i) => xs[(i + k) % xs.length]);

/** A figure with `digits` decimals, or '-' when it is not a finite number. */
export const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '-');

/** Table cells: left- and right-aligned. */
export const pad = (s, n) => String(s).padEnd(n);
export const lpad = (s, n) => String(s).padStart(n);
