/** A TypeDoc JSON project, as written by the `json` output or `app.serializer.projectToObject()`. */
export type ProjectJson = { name: string; children?: unknown[] };
/** The problems of the reference: exports without `@example`, examples that do not open with the package's import, optional options without `@default`. */
export function findProblems(project: ProjectJson): string[];
