/**
 * The topology page: one HTML document and one script (dist/topology/topology.js, bundled at build time with
 * graphql-ws; it starts ELK's Web Worker from dist/topology/elk-worker.js), all from the emulator itself — no CDN, no web fonts, no favicon request. `?project=` and
 * `?cluster=` pick what is shown; `#token=` carries an auth token (the fragment never leaves the browser).
 * Colours are the Okabe–Ito palette, and every state also has a shape or a word, for colour-blind readers.
 */
export function topologyHtml(assets: { script: string; elkWorker: string }): string {
  return TOPOLOGY_HTML.replace('%SCRIPT%', assets.script).replace('%ELK_WORKER%', assets.elkWorker);
}

const TOPOLOGY_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>gke-emulator topology</title>
    <link rel="icon" href="data:," />
    <style>
      :root { --blue: #0072B2; --orange: #E69F00; --sky: #56B4E9; --green: #009E73; --yellow: #F0E442;
        --vermillion: #D55E00; --purple: #CC79A7; --ink: #1b1b1b; --muted: #555; --line: #bbb; }
      * { box-sizing: border-box; }
      body { margin: 0; font: 13px/1.4 system-ui, sans-serif; color: var(--ink); height: 100vh; display: grid;
        grid-template-rows: auto 1fr; grid-template-columns: 1fr 380px; }
      header { grid-column: 1 / 3; display: flex; gap: 12px; align-items: center; padding: 6px 10px;
        border-bottom: 1px solid var(--line); flex-wrap: wrap; }
      header h1 { font-size: 15px; margin: 0 8px 0 0; }
      header a { color: var(--blue); }
      form { display: inline-flex; gap: 6px; align-items: center; margin: 0; }
      input, select, button { font: inherit; padding: 3px 6px; }
      button { cursor: pointer; }
      :focus-visible { outline: 3px solid var(--orange); outline-offset: 2px; }
      #status[data-kind=error] { color: var(--vermillion); font-weight: 600; }
      #live { color: var(--green); }
      main { position: relative; overflow: hidden; background: #fafafa; }
      #canvas { width: 100%; height: 100%; display: block; cursor: grab; }
      #zoom { position: absolute; right: 8px; top: 8px; display: flex; gap: 4px; }
      aside { border-left: 1px solid var(--line); overflow: auto; padding: 8px 10px; }
      aside h2 { font-size: 14px; margin: 4px 0; word-break: break-all; }
      aside h3 { font-size: 13px; margin: 8px 0 2px; }
      pre.resource { font-size: 11px; background: #f3f3f3; padding: 6px; overflow: auto; max-height: 45vh; }
      #auth-help { background: #fff4d6; border: 1px solid var(--orange); padding: 6px; }
      fieldset { border: 1px solid var(--line); margin: 8px 0; }
      fieldset label { display: block; margin: 3px 0; }
      fieldset input[type=text] { width: 100%; }
      ol.hops { padding-left: 22px; margin: 4px 0; }
      ol.hops li { margin: 2px 0; cursor: pointer; }
      ol.hops li.hop-drop { color: var(--vermillion); font-weight: 600; }
      .trace-summary { font-weight: 600; }
      .result-REACHABLE { color: var(--green); }
      .result-UNREACHABLE { color: var(--vermillion); }
      .legend span { margin-right: 10px; white-space: nowrap; }
      .sw { display: inline-block; width: 10px; height: 10px; vertical-align: middle; margin-right: 3px; }
      /* the picture */
      .el { cursor: pointer; }
      .el rect { fill: #fff; stroke: #888; stroke-width: 1; }
      .el text.label { font-weight: 600; font-size: 12px; fill: var(--ink); }
      .el text.line { font-size: 11px; fill: var(--muted); }
      .el text.summary { font-size: 11px; fill: var(--blue); font-weight: 600; }
      .el.collapsed > rect { stroke-dasharray: 10 4; }
      .kind-network > rect { fill: #eef6fb; stroke: var(--blue); stroke-width: 2; }
      .kind-cluster > rect { fill: #f4fbf8; stroke: var(--green); stroke-width: 2; }
      .kind-pool > rect { fill: #fbfbf3; stroke: #999; stroke-dasharray: 6 3; }
      .kind-node > rect { fill: #ffffff; stroke: #666; }
      .kind-pod > rect { fill: #e8f3fa; stroke: var(--sky); }
      .kind-pod.status-bad > rect { fill: #fbece3; stroke: var(--vermillion); stroke-dasharray: 4 2; }
      .kind-services > rect, .kind-policies > rect, .kind-firewalls > rect, .kind-lbGroup > rect { fill: #f7f4fa; stroke: var(--purple); }
      .kind-service > rect { fill: #fdf1fa; stroke: var(--purple); stroke-width: 1.5; }
      .kind-ingress > rect { fill: #fff8e6; stroke: var(--orange); }
      .kind-policy > rect { fill: #fff; stroke: var(--ink); stroke-dasharray: 2 2; }
      .kind-firewall.status-bad > rect { stroke: var(--vermillion); stroke-dasharray: 4 2; }
      .kind-forwardingRule > rect, .kind-targetPool > rect, .kind-targetProxy > rect, .kind-urlMap > rect,
      .kind-backendService > rect, .kind-instanceGroup > rect { fill: #fff8e6; stroke: var(--orange); }
      .bar-track { fill: #eee; stroke: #aaa; stroke-width: .5; }
      .bar-reserved { fill: #555; } .bar-nodes { fill: var(--blue); } .bar-podRanges { fill: var(--sky); }
      .bar-services { fill: var(--purple); }
      .edge { fill: none; stroke: #999; stroke-width: 1; opacity: .35; pointer-events: stroke; }
      .edge-member { stroke: var(--purple); }
      .edge-backend.status-ok { stroke: var(--blue); }
      .edge-backend.status-bad { stroke: var(--vermillion); stroke-dasharray: 5 4; }
      .edge-chain, .edge-route { stroke: var(--orange); opacity: .8; stroke-width: 1.5; }
      .edge.related { opacity: 1; stroke-width: 2.5; }
      .el.selected > rect { stroke: var(--ink); stroke-width: 4; }
      .el.related > rect { stroke: var(--blue); stroke-width: 3; }
      .el.hop > rect { stroke: var(--orange); stroke-width: 4; }
      .el.candidate > rect { stroke: var(--sky); stroke-width: 3; stroke-dasharray: 6 3; }
      .el.drop > rect { stroke: var(--vermillion); stroke-width: 5; }
      .trace-path { fill: none; stroke: var(--orange); stroke-width: 4; opacity: .7; pointer-events: none; }
      .hop-badge circle { fill: var(--orange); stroke: #fff; }
      .hop-badge-drop circle { fill: var(--vermillion); }
      .badge-text { fill: #000; font: bold 11px system-ui; text-anchor: middle; pointer-events: none; }
      .hop-badge-drop .badge-text { fill: #fff; }
    </style>
  </head>
  <body>
    <header>
      <h1>gke-emulator topology</h1>
      <form id="picker" aria-label="What to show">
        <label>Project <input id="project" name="project" required placeholder="my-project" size="18" list="projects" /></label>
        <datalist id="projects"></datalist>
        <label>Cluster <select id="cluster"><option value="">all clusters</option></select></label>
        <button type="submit">Show</button>
        <button type="button" id="refresh">Refresh</button>
      </form>
      <form id="search-form" role="search"><label>Find <input id="search" placeholder="name or IP ( / )" size="16" /></label></form>
      <span id="live" aria-live="polite"></span>
      <span id="status" role="status" aria-live="polite"></span>
      <a href="/playground">GraphQL playground</a>
    </header>
    <main>
      <svg id="canvas" role="application" aria-label="Topology: Tab moves between elements, Enter selects, + and - zoom, 0 fits, arrows pan, Escape clears"></svg>
      <div id="zoom"><button id="zoom-in" aria-label="Zoom in">+</button><button id="zoom-out" aria-label="Zoom out">−</button><button id="zoom-fit">Fit</button></div>
    </main>
    <aside>
      <div id="auth-help" hidden>
        This emulator requires its auth token (started with <code>--auth-token</code>). Open
        <code>/topology#token=&lt;token&gt;</code>: the part after <code>#</code> stays in your browser and is sent as
        <code>Authorization: Bearer</code> by the page.
      </div>
      <p class="legend">
        <span><i class="sw" style="background:#0072B2"></i>node IPs</span><span><i class="sw" style="background:#56B4E9"></i>pod ranges</span><span><i class="sw" style="background:#CC79A7"></i>Service IPs</span><span><i class="sw" style="background:#555"></i>reserved</span>
        <span>✓ ready / healthy</span><span>✗ dashed: not ready / unhealthy / drop</span>
      </p>
      <form id="trace-form" aria-label="Connectivity trace">
        <fieldset>
          <legend>Trace (Connectivity Test)</legend>
          <label>Source IP <input type="text" id="trace-source" required /></label>
          <label><input type="checkbox" id="trace-external" /> source is on the internet</label>
          <label>Destination IP <input type="text" id="trace-destination" required /></label>
          <label>Port <input type="number" id="trace-port" min="1" max="65535" value="80" /></label>
          <label>Protocol <select id="trace-protocol"><option>TCP</option><option>UDP</option><option>ICMP</option></select></label>
          <button type="submit">Run trace</button>
          <select id="saved-tests" aria-label="Saved connectivity tests"><option value="">saved tests</option></select>
        </fieldset>
      </form>
      <div id="trace-result" aria-live="polite"></div>
      <div id="details" aria-live="polite"></div>
    </aside>
    <script src="%SCRIPT%" data-elk-worker="%ELK_WORKER%"></script>
  </body>
</html>
`;
