import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { HeaderMap, type ApolloServer } from "@apollo/server";
import type { Context } from "../context";
import type { Logger } from "../logging/logger";
import { clientIp } from "./client-ip";
import type { Playground } from "./playground";

export const GRAPHQL_PATH = "/graphql";

export interface HttpServerOptions {
  apollo: ApolloServer<Context>;
  buildContext: (request: { authorization?: string; ip: string }) => Context;
  /** Resolves true while PostgreSQL and Redis both answer. */
  isReady: () => Promise<boolean>;
  logger: Logger;
  trustProxy: number;
  bodyLimitBytes: number;
  /** How long a GraphQL request may run before it is answered 503 SERVICE_UNAVAILABLE. */
  requestTimeoutMs: number;
  /** GraphiQL for browsers that open the endpoint; absent when the playground is off. */
  playground?: Playground;
}

/**
 * Room for the largest header a hostile client may send us (a 100 kB bearer
 * token), so it reaches the token checks and gets the contract's answer.
 */
const MAX_HEADER_BYTES = 128 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A thin node:http front for Apollo Server: `/graphql`, `/healthz`,
 * `/readyz`, a body size limit, and one log line per request. It avoids a
 * framework layer that would cost more than the GraphQL work it carries.
 */
export function createHttpServer(options: HttpServerOptions): Server {
  // Access lines hold only the fields below, none secret: they skip the redaction every other line pays for (half their cost).
  const accessLog = options.logger.child({}, { redact: [] });
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (request, response) => {
    const started = process.hrtime.bigint();
    response.on("finish", () => {
      accessLog.info(
        {
          method: request.method,
          path: request.url?.split("?")[0],
          status: response.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          ip: clientIp(request, options.trustProxy),
        },
        "request",
      );
    });
    route(request, response, options).catch((error: unknown) => {
      if (error instanceof HttpError) {
        sendJson(response, error.status, { errors: [{ message: error.message, extensions: { code: error.code } }] });
        // The rest of an oversized body is not worth reading.
        if (error.status === 413) response.on("finish", () => request.destroy());
        if (error.status === 503) options.logger.warn({ path: request.url?.split("?")[0], timeoutMs: options.requestTimeoutMs }, "request timed out");
        return;
      }
      options.logger.error({ err: error }, "request failed outside GraphQL");
      sendJson(response, 500, { errors: [{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
    });
  });
  server.on("clientError", answerClientError);
  // Slow-loris and stuck clients: bound how long a request may take to arrive.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  return server;
}

async function route(request: IncomingMessage, response: ServerResponse, options: HttpServerOptions): Promise<void> {
  const [path, search = ""] = (request.url ?? "/").split(/\?(.*)/s, 2);
  setCommonHeaders(response);

  if (path === "/healthz" && (request.method === "GET" || request.method === "HEAD")) {
    return sendJson(response, 200, { status: "ok" });
  }
  if (path === "/readyz" && (request.method === "GET" || request.method === "HEAD")) {
    const ready = await options.isReady();
    return sendJson(response, ready ? 200 : 503, { status: ready ? "ready" : "unavailable" });
  }
  if (options.playground && (request.method === "GET" || request.method === "HEAD")) {
    if (options.playground.sendAsset(path, response)) return;
    if (path === GRAPHQL_PATH && acceptsHtml(request) && !new URLSearchParams(search).has("query")) return options.playground.sendPage(response);
  }
  if (path !== GRAPHQL_PATH) {
    return sendJson(response, 404, { errors: [{ message: "Not found", extensions: { code: "BAD_USER_INPUT" } }] });
  }
  if (request.method === "OPTIONS") {
    response.writeHead(204, {
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers": "authorization, content-type, apollo-require-preflight, x-apollo-operation-name",
      "access-control-max-age": "600",
    });
    response.end();
    return;
  }

  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const body = request.method === "POST" ? await readJsonBody(request, options.bodyLimitBytes) : undefined;
  const result = await withinTimeLimit(
    options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: request.method?.toUpperCase() ?? "GET", headers, search: search ? `?${search}` : "", body },
      context: async () => options.buildContext({ authorization: request.headers.authorization, ip: clientIp(request, options.trustProxy) }),
    }),
    options.requestTimeoutMs,
  );

  for (const [name, value] of result.headers) response.setHeader(name, value);
  response.statusCode = result.status ?? 200;
  if (result.body.kind === "complete") {
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

/**
 * Reads a JSON body up to `limit` bytes. Bodies of other content types are
 * left unread for Apollo to refuse (its CSRF prevention wants them refused).
 */
async function readJsonBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(request.headers["content-length"]);
  if (declared > limit) throw new HttpError(413, "BAD_USER_INPUT", `Request body exceeds ${limit} bytes`);
  const body = await readBody(request, limit);
  const contentType = request.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(contentType)) return undefined;
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new HttpError(400, "BAD_USER_INPUT", "Request body is not valid JSON");
  }
}

/**
 * The whole body, or 413 as soon as it passes `limit`. Stream events rather
 * than an async iterator: the iterator's machinery cost more per request
 * than reading a small body.
 */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.off("data", onData);
        request.pause();
        reject(new HttpError(413, "BAD_USER_INPUT", `Request body exceeds ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    request.on("data", onData);
    request.once("end", () => resolve(Buffer.concat(chunks, size)));
    request.once("error", reject);
    // A client that goes away mid-body ends neither with "end" nor always with "error".
    request.once("close", () => {
      if (!request.complete) reject(new Error("request closed before its body was read"));
    });
  });
}

/**
 * Answers once `ms` have passed. The work cannot be cancelled halfway through
 * a transaction, so it goes on and its late result is dropped.
 */
async function withinTimeLimit<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new HttpError(503, "SERVICE_UNAVAILABLE", "The request took too long; try again shortly")), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Requests node:http cannot parse (oversized headers, garbage) still get a coded JSON answer. */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  const body = JSON.stringify({ errors: [{ message: STATUS_CODES[status], extensions: { code: "BAD_USER_INPUT" } }] });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** A browser navigating to the endpoint, as opposed to a GraphQL client asking for JSON. */
function acceptsHtml(request: IncomingMessage): boolean {
  return /\btext\/html\b/i.test(request.headers.accept ?? "");
}

function setCommonHeaders(response: ServerResponse): void {
  // Tokens travel in responses: nothing here may be cached or sniffed.
  response.setHeader("cache-control", "no-store");
  response.setHeader("x-content-type-options", "nosniff");
  // Bearer tokens are not ambient credentials, so any origin may call.
  response.setHeader("access-control-allow-origin", "*");
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  response.end(text);
}
