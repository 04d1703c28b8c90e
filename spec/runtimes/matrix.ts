/**
 * The runtime x scenario matrix of docs/runtimes.md: one row per scenario (its title), one
 * column per runtime (its label), ✔ or ✘ in each cell. Read by the conformance suite, which
 * checks it against the run's results, and printed ready to paste when they differ.
 */
import { SCENARIOS } from './scenarios.mjs';
import { ROWS } from './runtimes.mjs';

export type Cell = '✔' | '✘';

const cellsOf = (line: string): string[] =>
  line
    .split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());

/** The matrix in `markdown`: scenario id -> runtime id -> cell. Empty when the table is missing. */
export function readMatrix(markdown: string): Map<string, Map<string, Cell>> {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => cellsOf(line)[0] === 'scenario');
  const matrix = new Map<string, Map<string, Cell>>();
  if (start < 0) return matrix;
  const columns = cellsOf(lines[start]!)
    .slice(1)
    .map((label) => ROWS.find((row) => row.label === label)?.id ?? `? ${label}`);
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const [title, ...cells] = cellsOf(line);
    const id = SCENARIOS.find((scenario) => scenario.title === title)?.id ?? `? ${title}`;
    matrix.set(id, new Map(columns.map((column, i) => [column, cells[i] as Cell])));
  }
  return matrix;
}

/** The markdown table of `results` (`<runtime id>/<scenario id>` -> cell); `-` where none ran. */
export function matrixOf(results: ReadonlyMap<string, Cell>): string {
  const head = `| scenario | ${ROWS.map((row) => row.label).join(' | ')} |`;
  const rule = `| --- | ${ROWS.map(() => ':---:').join(' | ')} |`;
  const body = SCENARIOS.map(
    (s) => `| ${s.title} | ${ROWS.map((row) => results.get(`${row.id}/${s.id}`) ?? '-').join(' | ')} |`,
  );
  return [head, rule, ...body].join('\n');
}
