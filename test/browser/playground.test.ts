import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { createTestApp, type TestApp } from "../helpers/test-app";

/** Debian's chromium package; .ci/run installs it when missing. */
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const SCREENSHOT_FOLDER = join(__dirname, "..", "..", "test-results");

let testApp: TestApp;
let browser: Browser;

beforeAll(async () => {
  testApp = await createTestApp();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await testApp?.close();
});

/** The text of one of GraphiQL's CodeMirror editors, as the page holds it. */
function editorText(page: Page, selector: string): Promise<string> {
  return page.locator(selector).first().evaluate((element) => (element as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());
}

/** Runs the active tab's operation and waits for a new result in the response pane. */
async function execute(page: Page): Promise<Record<string, unknown>> {
  const before = await editorText(page, ".result-window .CodeMirror");
  await page.locator(".graphiql-execute-button").click();
  await page.waitForFunction(
    (previous) => {
      // Runs in the page; the project's TypeScript has no DOM library, so the page's document is typed here.
      const { document } = globalThis as unknown as { document: { querySelector(selector: string): { CodeMirror: { getValue(): string } } | null } };
      const editor = document.querySelector(".result-window .CodeMirror");
      const text = editor?.CodeMirror.getValue() ?? "";
      return text !== previous && text.trim().startsWith("{");
    },
    before,
  );
  return JSON.parse(await editorText(page, ".result-window .CodeMirror")) as Record<string, unknown>;
}

describe("GraphiQL playground at /graphql (development)", () => {
  it("serves GraphiQL offline with the example operations: register, paste the token into the headers, run me", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const foreignRequests: string[] = [];
    const consoleErrors: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(testApp.url)) foreignRequests.push(request.url());
    });
    page.on("response", (response) => {
      if (response.status() >= 400) consoleErrors.push(`${response.status()} ${response.url()}`);
    });
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });

    const response = await page.goto(`${testApp.url}/graphql`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-type"]).toBe("text/html; charset=utf-8");
    await page.locator(".graphiql-container").waitFor();

    const tabNames = await page.locator(".graphiql-tab").allInnerTexts();
    expect(tabNames.map((name) => name.trim())).toEqual(["Register", "Login", "Me", "Refresh", "Logout", "Users", "SetUserRoles"]);
    expect(await editorText(page, ".graphiql-query-editor .CodeMirror")).toContain("mutation Register($input: RegisterInput!)");

    const registered = (await execute(page)) as { data: { register: { accessToken: string; tokenType: string; user: { email: string } } } };
    expect(registered).toHaveProperty("data.register.tokenType", "Bearer");
    expect(registered.data.register.user.email).toBe("ada@example.com");

    await page.locator(".graphiql-tab", { hasText: "Me" }).click();
    expect(await editorText(page, ".graphiql-query-editor .CodeMirror")).toContain("query Me");
    // Paste the token as a person would: select the headers pane's text and type over it.
    const headersEditor = page.locator(".graphiql-editor-tool .CodeMirror").last();
    expect(await headersEditor.evaluate((element) => (element as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue())).toContain(
      "Authorization",
    );
    await headersEditor.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${registered.data.register.accessToken}` }));

    const me = (await execute(page)) as { data: { me: { email: string; roles: string[] } } };
    expect(me.data.me).toMatchObject({ email: "ada@example.com", roles: ["USER"] });

    mkdirSync(SCREENSHOT_FOLDER, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_FOLDER, "playground.png") });
    expect(foreignRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  }, 60_000);

  it("leaves JSON clients alone: a GET for JSON is still GraphQL over HTTP", async () => {
    const response = await fetch(`${testApp.url}/graphql?query=${encodeURIComponent("{ __typename }")}`, {
      headers: { accept: "application/graphql-response+json", "apollo-require-preflight": "true" },
    });
    expect(response.headers.get("content-type")).toBe("application/graphql-response+json; charset=utf-8");
    expect(await response.json()).toEqual({ data: { __typename: "Query" } });
  });
});
