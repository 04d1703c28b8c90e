/** Types of size.mjs, for spec/size.spec.ts. */
export declare const ROOT: string;
export declare const BUDGETS: { readonly mainEntry: number; readonly webSocketApp: number };
export declare const CEILINGS: { readonly mainEntry: number; readonly webSocketApp: number };
export declare const README_LABELS: {
  readonly mainEntry: string;
  readonly webSocketApp: string;
  readonly rxjsWebSocketApp: string;
  readonly resilientApp: string;
};
export declare const APPS: {
  readonly mainEntry: string;
  readonly webSocketApp: string;
  readonly rxjsWebSocketApp: string;
  readonly resilientApp: string;
};
export interface Sizes {
  mainEntry: number;
  webSocketApp: number;
  rxjsWebSocketApp: number;
  resilientApp: number;
}
export declare function bundle(
  contents: string,
  options: { rxjsExternal: boolean },
): Promise<{ code: string; gzip: number }>;
export declare function measureSizes(): Promise<Sizes>;
export declare function kib(bytes: number): string;
export declare function readmeRows(sizes: Sizes): string[];
export declare function readmeFigure(readme: string, label: string): number | undefined;
