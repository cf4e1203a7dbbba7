import { loadConfig } from "../../src/config";
import { TEST_JWT_SECRET, createTestApp, type TestApp } from "../helpers/test-app";

const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const ASSETS = {
  "graphql/playground/react.production.min.js": "text/javascript; charset=utf-8",
  "graphql/playground/react-dom.production.min.js": "text/javascript; charset=utf-8",
  "graphql/playground/graphiql.min.js": "text/javascript; charset=utf-8",
  "graphql/playground/graphiql.min.css": "text/css; charset=utf-8",
  "graphql/playground/boot.js": "text/javascript; charset=utf-8",
};
// Production refuses argon2 below the OWASP minimum; these tests never hash.
const PRODUCTION = { NODE_ENV: "production", ARGON2_MEMORY_KIB: "19456", ARGON2_TIME_COST: "2", LOG_LEVEL: "silent" };

function openInBrowser(app: TestApp, path = "/graphql"): Promise<Response> {
  return fetch(`${app.url}${path}`, { headers: { accept: BROWSER_ACCEPT } });
}

describe("the playground route", () => {
  describe("outside production (NODE_ENV=test here, like development)", () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await createTestApp();
    });
    afterAll(() => app.close());

    it("serves the GraphiQL page, from this origin only, with every example operation as a tab", async () => {
      const response = await openInBrowser(app);
      const page = await response.text();
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(response.headers.get("content-security-policy")).toContain("default-src 'none'; script-src 'self';");
      const sources = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
      expect(sources.sort()).toEqual(["data:,", ...Object.keys(ASSETS)].sort());
      const config = JSON.parse(/<script id="playground-config" type="application\/json">(.*?)<\/script>/s.exec(page)![1]) as {
        tabs: { query: string; headers: string }[];
      };
      expect(config.tabs.map((tab) => /^(?:query|mutation) (\w+)/m.exec(tab.query)?.[1])).toEqual([
        "Register",
        "Login",
        "Me",
        "Refresh",
        "Logout",
        "Users",
        "SetUserRoles",
      ]);
      expect(JSON.parse(config.tabs[2].headers)).toEqual({ Authorization: "Bearer <accessToken from register or login>" });
    });

    it("serves the page's scripts and styles from the project's dependencies", async () => {
      for (const [path, contentType] of Object.entries(ASSETS)) {
        const response = await fetch(`${app.url}/${path}`);
        expect({ path, status: response.status, contentType: response.headers.get("content-type") }).toEqual({ path, status: 200, contentType });
        expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(500);
      }
      expect((await fetch(`${app.url}/graphql/playground/../../package.json`)).status).toBe(404);
      expect((await fetch(`${app.url}/graphql/playground/missing.js`)).status).toBe(404);
    });
  });

  describe("in production", () => {
    it("is off unless enabled: a browser gets GraphQL over HTTP's refusal, and no assets", async () => {
      const app = await createTestApp({ env: PRODUCTION });
      try {
        const response = await openInBrowser(app);
        expect(response.status).toBe(400);
        expect(response.headers.get("content-type")).not.toContain("text/html");
        expect((await fetch(`${app.url}/graphql/playground/graphiql.min.js`)).status).toBe(404);
      } finally {
        await app.close();
      }
    });

    it("is served with GRAPHQL_PLAYGROUND=true", async () => {
      const app = await createTestApp({ env: { ...PRODUCTION, GRAPHQL_PLAYGROUND: "true" } });
      try {
        const response = await openInBrowser(app);
        expect(response.status).toBe(200);
        expect(await response.text()).toContain('<div id="graphiql">');
      } finally {
        await app.close();
      }
    });
  });

  it("GRAPHQL_PLAYGROUND defaults by environment and accepts only true or false", () => {
    const base = { JWT_SECRET: TEST_JWT_SECRET };
    expect(loadConfig({ ...base, NODE_ENV: "development" }).playground).toBe(true);
    expect(loadConfig({ ...base, NODE_ENV: "production" }).playground).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: "development", GRAPHQL_PLAYGROUND: "false" }).playground).toBe(false);
    expect(() => loadConfig({ ...base, GRAPHQL_PLAYGROUND: "yes" })).toThrow("Invalid configuration: GRAPHQL_PLAYGROUND must be true or false");
  });
});
