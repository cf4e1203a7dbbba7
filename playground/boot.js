/*
 * Starts GraphiQL from the UMD builds the server serves beside this file
 * (React, ReactDOM, GraphiQL: no CDN). The server writes the example
 * operations into the page as JSON; each becomes a tab. The endpoint is the
 * page's own URL, so the playground works behind any path prefix.
 */
(function startPlayground() {
  "use strict";
  const config = JSON.parse(document.getElementById("playground-config").textContent);
  const endpoint = window.location.origin + window.location.pathname;
  const fetcher = GraphiQL.createFetcher({ url: endpoint });
  // Tabs and history stay in memory: variables may hold a refresh token, which must not outlive the page in localStorage.
  const memory = new Map();
  const storage = {
    getItem: (key) => (memory.has(key) ? memory.get(key) : null),
    setItem: (key, value) => memory.set(key, String(value)),
    removeItem: (key) => memory.delete(key),
    clear: () => memory.clear(),
    get length() {
      return memory.size;
    },
  };

  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher,
      storage,
      defaultTabs: config.tabs,
      // GraphiQL fills the editors of the first tab from these, not from defaultTabs.
      variables: config.tabs[0].variables,
      defaultHeaders: config.headers,
      defaultEditorToolsVisibility: "headers",
      shouldPersistHeaders: false,
    }),
  );
})();
