/** The playground page: GraphiQL against /graphql, every asset from the emulator itself. */
export const PLAYGROUND_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>gke-emulator GraphQL playground</title>
    <link rel="stylesheet" href="/playground/assets/graphiql.min.css" />
    <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
  </head>
  <body>
    <div id="graphiql">Loading…</div>
    <script src="/playground/assets/react.production.min.js"></script>
    <script src="/playground/assets/react-dom.production.min.js"></script>
    <script src="/playground/assets/graphiql.min.js"></script>
    <script>
      const fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', window.location.href).toString() });
      const defaultQuery = '# Networks and subnetworks of the "demo" project\\n{\\n  networks(project: "demo") {\\n    name\\n    autoCreateSubnetworks\\n    subnetworks { name region ipCidrRange secondaryIpRanges { rangeName ipCidrRange } }\\n  }\\n}\\n';
      ReactDOM.createRoot(document.getElementById('graphiql')).render(
        React.createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: false }),
      );
    </script>
  </body>
</html>
`;
