/**
 * Baseline H: a bare Apollo Server 5 with its standalone HTTP server, the
 * least a GraphQL request can cost on this machine. Driven over IPC like the
 * service.
 */
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { serveOverIpc } from "./ipc-child";

async function main(): Promise<void> {
  const server = new ApolloServer({
    typeDefs: "type Query { hello: String }",
    resolvers: { Query: { hello: () => "world" } },
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: "127.0.0.1" } });
  serveOverIpc(Number(new URL(url).port), () => server.stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`baseline server failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
