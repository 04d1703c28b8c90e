// Checks what TypeDoc cannot: every exported function and class of the API reference has an
// `@example`, every `@example` (on any symbol, option or member) opens with its imports from
// the package, so a reader can paste it as it is, and every optional property of an options
// interface (named `...Options` or `...Config`) says its `@default`.
// Usage: node .ci/api-examples.mjs [docs/api/api.json]   (the JSON output of `npm run docs`)
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const MODULE = 2;
const FUNCTION = 64;
const CLASS = 128;
const INTERFACE = 256;
const PROPERTY = 1024;
const IMPORT = /^import\s.*\sfrom\s+['"]([^'"]+)['"];?\s*$/;

/** The code of an `@example` block tag, without its fence, as lines. */
function exampleLines(tag) {
  const text = tag.content.map((part) => part.text).join('');
  return text
    .replace(/^\s*```[\w-]*\n/, '')
    .replace(/\n```\s*$/, '')
    .split('\n');
}

/** The problems of one example: its first line must be an import, and one of its imports must be the package's. */
function checkExample(where, tag) {
  const lines = exampleLines(tag);
  const first = lines.find((line) => line.trim() !== '') ?? '';
  if (!IMPORT.test(first.trim())) {
    return [`${where}: the @example's first line must be the import, e.g. "import { WebSocket } from 'brython-websocket';", got "${first.trim()}"`];
  }
  const sources = [];
  for (const line of lines) {
    const match = IMPORT.exec(line.trim());
    if (!match) break;
    sources.push(match[1]);
  }
  if (!sources.some((source) => source === 'brython-websocket' || source.startsWith('brython-websocket/'))) {
    return [`${where}: the @example's imports (${sources.join(', ')}) must include one from 'brython-websocket' or a subpath`];
  }
  return [];
}

function commentsOf(reflection) {
  const signatures = [
    ...(reflection.signatures ?? []),
    ...(reflection.getSignature ? [reflection.getSignature] : []),
    ...(reflection.setSignature ? [reflection.setSignature] : []),
  ];
  return [reflection.comment, ...signatures.map((signature) => signature.comment)].filter(Boolean);
}

function examplesOf(reflection) {
  return commentsOf(reflection).flatMap((comment) => (comment.blockTags ?? []).filter((tag) => tag.tag === '@example'));
}

/**
 * Lists the problems in a TypeDoc JSON project (`app.serializer.projectToObject` or the `json`
 * output): exported functions and classes without an `@example`, examples that do not open
 * with the package's import, and optional options without a `@default`. An empty list means
 * the reference passes.
 */
export function findProblems(project) {
  const problems = [];
  // With several entry points the project's children are modules, whose children are the exports.
  const exported = new Set(
    (project.children ?? []).flatMap((child) => (child.kind === MODULE ? (child.children ?? []) : [child])),
  );
  const visit = (reflection, path) => {
    const where = path.join('.');
    if ((reflection.kind === FUNCTION || reflection.kind === CLASS) && exported.has(reflection)) {
      if (examplesOf(reflection).length === 0) {
        problems.push(`${where}: an exported ${reflection.kind === CLASS ? 'class' : 'function'} needs an @example`);
      }
    }
    for (const tag of examplesOf(reflection)) problems.push(...checkExample(where, tag));
    if (reflection.kind === INTERFACE && /(Options|Config)$/.test(reflection.name)) {
      for (const option of reflection.children ?? []) {
        const tags = (option.comment?.blockTags ?? []).map((tag) => tag.tag);
        if (option.kind === PROPERTY && option.flags?.isOptional && !tags.includes('@default')) {
          problems.push(`${where}.${option.name}: an optional option needs a @default`);
        }
      }
    }
    for (const signature of reflection.signatures ?? []) {
      for (const parameter of signature.parameters ?? []) visitType(parameter.type, [...path, parameter.name]);
    }
    visitType(reflection.type, path);
    for (const child of reflection.children ?? []) visit(child, [...path, child.name]);
  };
  // Options declared inline (an object type literal) carry their own comments.
  const visitType = (type, path) => {
    if (type?.type === 'reflection' && type.declaration) {
      for (const child of type.declaration.children ?? []) visit(child, [...path, child.name]);
    }
  };
  for (const child of project.children ?? []) visit(child, child.kind === MODULE ? [child.name] : [project.name, child.name]);
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2] ?? 'docs/api/api.json';
  const problems = findProblems(JSON.parse(readFileSync(file, 'utf8')));
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) {
    console.error(`api-examples: ${problems.length} problem(s) in ${file}`);
    process.exit(1);
  }
  console.log(`api-examples: every exported function and class has an @example, every @example opens with its import, every optional option has a @default (${file})`);
}
