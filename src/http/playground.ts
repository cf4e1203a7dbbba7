import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { dirname, join } from "node:path";

/** Where the page's scripts and styles are served, relative to the GraphQL endpoint's folder. */
export const PLAYGROUND_ASSET_PREFIX = "/graphql/playground/";

interface Asset {
  body: Buffer;
  contentType: string;
}

export interface Playground {
  /** The GraphiQL page for a browser opening the endpoint. */
  sendPage(response: ServerResponse): void;
  /** Serves one of the page's scripts or styles; false when `path` is not one of them. */
  sendAsset(path: string, response: ServerResponse): boolean;
}

/**
 * GraphiQL for browsers, served entirely from this server: the UMD builds of
 * React 18 and GraphiQL 4 (the last major that ships one) from node_modules,
 * a small boot script, and the example operations as tabs. It works with no
 * internet and needs no bundler. Files are read once, here.
 */
export function createPlayground(): Playground {
  const projectRoot = findProjectRoot(__dirname);
  const assets = new Map<string, Asset>([
    ["react.production.min.js", script(packageFile("react", "umd/react.production.min.js"))],
    ["react-dom.production.min.js", script(packageFile("react-dom", "umd/react-dom.production.min.js"))],
    ["graphiql.min.js", script(packageFile("graphiql", "graphiql.min.js"))],
    ["graphiql.min.css", { body: readFileSync(packageFile("graphiql", "graphiql.min.css")), contentType: "text/css; charset=utf-8" }],
    ["boot.js", script(join(projectRoot, "playground", "boot.js"))],
  ]);
  const page = Buffer.from(renderPage(loadExampleTabs(join(projectRoot, "examples", "operations"))));

  return {
    sendPage(response) {
      response.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "content-length": page.length,
        // GraphiQL sets inline styles; everything else comes from this origin only.
        "content-security-policy":
          "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        "referrer-policy": "no-referrer",
      });
      response.end(page);
    },
    sendAsset(path, response) {
      const asset = path.startsWith(PLAYGROUND_ASSET_PREFIX) ? assets.get(path.slice(PLAYGROUND_ASSET_PREFIX.length)) : undefined;
      if (!asset) return false;
      response.writeHead(200, { "content-type": asset.contentType, "content-length": asset.body.length, "cache-control": "public, max-age=3600" });
      response.end(asset.body);
      return true;
    },
  };
}

interface Tab {
  query: string;
  variables?: string;
}

/** One tab per example operation, with its example variables when a `<name>.variables.json` sits beside it. */
function loadExampleTabs(folder: string): Tab[] {
  const order = ["register", "login", "me", "refresh", "logout", "users", "set-user-roles"];
  const names = readdirSync(folder)
    .filter((file) => file.endsWith(".graphql"))
    .map((file) => file.slice(0, -".graphql".length))
    .sort((a, b) => rank(order, a) - rank(order, b) || a.localeCompare(b));
  return names.map((name) => {
    const variablesFile = join(folder, `${name}.variables.json`);
    return {
      query: readFileSync(join(folder, `${name}.graphql`), "utf8"),
      variables: existsSync(variablesFile) ? readFileSync(variablesFile, "utf8") : undefined,
    };
  });
}

function rank(order: string[], name: string): number {
  const index = order.indexOf(name);
  return index === -1 ? order.length : index;
}

function renderPage(tabs: Tab[]): string {
  const headers = JSON.stringify({ Authorization: "Bearer <accessToken from register or login>" }, null, 2);
  const config = { tabs: tabs.map((tab) => ({ ...tab, headers })), headers };
  // `<` escaped so no example text can close the script element.
  const json = JSON.stringify(config).replace(/</g, "\\u003c");
  const asset = (name: string) => `graphql/playground/${name}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphQL playground</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${asset("graphiql.min.css")}">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script id="playground-config" type="application/json">${json}</script>
<script src="${asset("react.production.min.js")}"></script>
<script src="${asset("react-dom.production.min.js")}"></script>
<script src="${asset("graphiql.min.js")}"></script>
<script src="${asset("boot.js")}"></script>
</body>
</html>
`;
}

function script(path: string): Asset {
  return { body: readFileSync(path), contentType: "text/javascript; charset=utf-8" };
}

/** A file inside an installed package, found through its package.json (the UMD files are not in the packages' export maps). */
function packageFile(packageName: string, file: string): string {
  return join(dirname(require.resolve(`${packageName}/package.json`)), file);
}

/** The folder holding package.json, from src/ when run by ts-node or jest and from dist/src/ when built. */
function findProjectRoot(start: string): string {
  for (let folder = start; ; folder = dirname(folder)) {
    if (existsSync(join(folder, "package.json"))) return folder;
    if (dirname(folder) === folder) throw new Error(`no package.json above ${start}`);
  }
}
