/**
 * globalSetup of the browser project (it runs in Node, once per run): starts the report
 * server (a `ws` echo server with a small HTTP API, see ./report-server.ts) and provides its
 * URLs to the specs, which run in Chromium and read them with `inject('reportServer')`.
 */
import type { TestProject } from 'vitest/node';
import { startGraphqlServer } from '../helpers/graphql-server.js';
import { startReportServer } from './report-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The report server of the browser specs: `ws://127.0.0.1:<port>` and `http://127.0.0.1:<port>`. */
    reportServer: { wsUrl: string; httpUrl: string };
    /** A graphql-ws server (spec/helpers/graphql-server.ts): `ws://127.0.0.1:<port>/graphql`. */
    graphqlUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startReportServer();
  const graphql = await startGraphqlServer();
  project.provide('reportServer', { wsUrl: server.wsUrl, httpUrl: server.httpUrl });
  project.provide('graphqlUrl', graphql.url);
  return async () => {
    await graphql.kill();
    await server.close();
  };
}
