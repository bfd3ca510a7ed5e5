/**
 * The playground page: GraphiQL against /graphql, every asset from the emulator itself (no CDN, no web fonts, no
 * favicon request). `?query=` and `?variables=` preset the editors, so a playground link can carry a query;
 * `#token=` the auth token.
 */
export const PLAYGROUND_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>gke-emulator GraphQL playground</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/playground/assets/graphiql.min.css" />
    <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }
      #topology-link { position: fixed; right: 12px; bottom: 8px; z-index: 10; font: 13px system-ui, sans-serif; }</style>
  </head>
  <body>
    <a id="topology-link" href="/topology">Topology: see the network →</a>
    <div id="graphiql">Loading…</div>
    <script src="/playground/assets/react.production.min.js"></script>
    <script src="/playground/assets/react-dom.production.min.js"></script>
    <script src="/playground/assets/graphiql.min.js"></script>
    <script>
      // An emulator started with --auth-token: open /playground#token=<token> (the fragment never leaves the browser).
      const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
      const auth = token ? { Authorization: 'Bearer ' + token } : undefined;
      const fetcher = GraphiQL.createFetcher({
        url: new URL('/graphql', window.location.href).toString(),
        headers: auth,
        wsConnectionParams: auth,
      });
      const params = new URLSearchParams(window.location.search);
      const defaultQuery = '# Networks and subnetworks of the "demo" project\\n{\\n  networks(project: "demo") {\\n    name\\n    autoCreateSubnetworks\\n    subnetworks { name region ipCidrRange secondaryIpRanges { rangeName ipCidrRange } }\\n  }\\n}\\n';
      const props = { fetcher, defaultQuery, defaultEditorToolsVisibility: false };
      if (params.has('query')) props.query = params.get('query');
      if (params.has('variables')) props.variables = params.get('variables');
      ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, props));
    </script>
  </body>
</html>
`;
