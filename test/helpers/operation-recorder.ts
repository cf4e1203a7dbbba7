import type { ApolloServerPlugin } from "@apollo/server";
import type { Context } from "../../src/context";

export interface RecordedOperation {
  operationName: string | undefined;
  /** `extensions.reason` (or `extensions.code` when there is no reason) of the first error, if any. */
  failure?: string;
}

/**
 * An Apollo Server plugin that writes down every operation the server
 * answered, so a test can count what a client really sent (e.g. one refresh).
 */
export function operationRecorder(): { plugin: ApolloServerPlugin<Context>; operations: RecordedOperation[]; count(name: string, failure?: string): number } {
  const operations: RecordedOperation[] = [];
  const plugin: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      return {
        async willSendResponse({ request, operationName, response }) {
          const body = response.body;
          const error = body.kind === "single" ? body.singleResult.errors?.[0] : undefined;
          const extensions = error?.extensions as { code?: string; reason?: string } | undefined;
          operations.push({ operationName: operationName ?? request.operationName ?? undefined, failure: extensions?.reason ?? extensions?.code });
        },
      };
    },
  };
  return {
    plugin,
    operations,
    count: (name, failure) => operations.filter((operation) => operation.operationName === name && operation.failure === failure).length,
  };
}
