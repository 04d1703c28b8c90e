/** Types of scenarios.mjs, for the conformance spec. */
export interface Scenario {
  readonly id: string;
  readonly title: string;
}
export declare const SCENARIOS: readonly Scenario[];
export declare const INVALID_URLS: readonly string[];
export declare const LARGE: number;
export declare function runScenario(id: string, params: { url: string }, lib: object): Promise<Record<string, unknown>>;
