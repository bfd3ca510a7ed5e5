import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumPath,
  createTestGkeCluster,
  dataplaneConverged,
  eventually,
  launchChromium,
  startTestApp,
  useTestApp,
  useTestWorker,
  type TestApp,
} from '@gke-emulator/testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kubernetes objects read loosely in assertions
type Json = Record<string, any>;

const started = Date.now();
/** Where a slow run spent its time (the machine running this suite may be loaded). */
const progress = (mark: string) => console.log(`topology e2e: ${mark} at ${Date.now() - started} ms`);
const SHOTS = mkdtempSync(join(tmpdir(), 'topology-e2e-'));

const app = useTestApp();
useTestWorker();

const deployment = (name: string, replicas: number, port: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name, image: 'nginx', ports: [{ name: 'http', containerPort: port }] }] },
    },
  },
});

/**
 * A page that records every request, refuses (and records) any that would leave 127.0.0.1, and collects errors.
 */
async function openPage(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const foreign: string[] = [];
  const problems: string[] = [];
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.hostname === '127.0.0.1') return route.continue();
    foreign.push(route.request().url());
    return route.abort();
  });
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol !== 'data:' && url.hostname !== '127.0.0.1') foreign.push(req.url());
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return { page, foreign, problems };
}

const drawn = (page: Page, kind: string) =>
  page.locator(`#canvas [data-kind="${kind}"]`).evaluateAll((els) =>
    els.map((el) => ({
      id: el.getAttribute('data-id') ?? '',
      text: Array.from(el.querySelectorAll(':scope > text'))
        .map((t) => t.textContent)
        .join('\n'),
      classes: el.getAttribute('class') ?? '',
      hops: el.getAttribute('data-hops'),
    })),
  );

// A browser test: machines without Chromium (Debian's `chromium`, or CHROMIUM_PATH) skip it rather than download
// one (playwright-core brings no browser, and these machines may have no internet).
describe.skipIf(!chromiumPath())('the /topology page in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('draws a seeded project, shows a pod’s details, traces through the load balancer, and follows a scale-up live', async () => {
    const { project, compute, kube } = await createTestGkeCluster(app.url, { prefix: 'topo', nodes: 2 });
    const post = (path: string, body: Json) => request(app.url).post(path).send(body).expect(201);
    await post(`${kube}/apis/apps/v1/namespaces/default/deployments`, deployment('web', 2, 8080));
    await post(`${kube}/apis/apps/v1/namespaces/default/deployments`, deployment('db', 1, 5432));
    await post(`${kube}/api/v1/namespaces/default/services`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: {
        type: 'LoadBalancer',
        selector: { app: 'web' },
        ports: [{ name: 'http', port: 80, targetPort: 'http' }],
      },
    });
    await post(`${kube}/api/v1/namespaces/default/services`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'db' },
      spec: { selector: { app: 'db' }, ports: [{ port: 5432, targetPort: 5432 }] },
    });
    await post(`${kube}/apis/networking.k8s.io/v1/namespaces/default/networkpolicies`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'db-isolated' },
      spec: { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] },
    });
    await post(`${kube}/apis/networking.k8s.io/v1/namespaces/default/ingresses`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'shop' },
      spec: {
        rules: [
          {
            host: 'shop.example.com',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'web', port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    });
    await request(app.url)
      .post(`${compute}/global/firewalls`)
      .send({
        name: 'block-one',
        network: 'vpc',
        priority: 100,
        denied: [{ IPProtocol: 'tcp', ports: ['80'] }],
        sourceRanges: ['198.51.100.66/32'],
      })
      .expect(200);
    const lbIp = await eventually(async () => {
      const res = await request(app.url).get(`${kube}/api/v1/namespaces/default/services/web`).expect(200);
      return res.body.status?.loadBalancer?.ingress?.[0]?.ip as string | undefined;
    }, 'the load balancer IP of web');
    await eventually(async () => {
      const res = await request(app.url).get(
        `${kube}/apis/networking.k8s.io/v1/namespaces/default/ingresses/shop`,
      );
      return res.body.status?.loadBalancer?.ingress?.[0]?.ip as string | undefined;
    }, 'the Ingress IP');
    await dataplaneConverged(app.url, project);
    progress('0');
    // Every namespace's pods are drawn: the seeded ones and kube-system's kube-dns.
    const pods = (await request(app.url).get(`${kube}/api/v1/pods`).expect(200)).body.items as Json[];
    const web = pods.filter((p) => p.metadata.labels.app === 'web');
    expect(web).toHaveLength(2);

    const { page, foreign, problems } = await openPage(browser);
    await page.goto(`${app.url}/topology?project=${project}`, { waitUntil: 'load' });
    await page.waitForSelector('body[data-renders]', { timeout: 30_000 });
    progress('1');
    await page.screenshot({ path: join(SHOTS, '1-loaded.png') });

    // The picture, read from the DOM: network and subnet with its ranges' bars, cluster, nodes, pods.
    expect((await drawn(page, 'network')).map((e) => e.text)).toEqual([
      expect.stringMatching(/^vpc\nVPC · custom mode/),
    ]);
    const [subnet] = await drawn(page, 'subnet');
    expect(subnet?.text).toContain('s1');
    const bars = await page
      .locator('#canvas [data-kind="subnet"] .bar')
      .evaluateAll((els) =>
        els.map((el) => [el.getAttribute('data-range'), Number(el.getAttribute('data-used'))]),
      );
    expect(bars.map(([name]) => name)).toEqual(['primary', 'pods', 'svc']);
    for (const [, used] of bars) expect(used).toBeGreaterThan(0);
    expect((await drawn(page, 'cluster')).map((e) => e.text.split('\n')[0])).toEqual(['c1']);
    const nodes = await drawn(page, 'node');
    expect(nodes).toHaveLength(2);
    const podEls = await drawn(page, 'pod');
    expect(podEls.map((p) => p.text.split('\n')[0]).sort()).toEqual(pods.map((p) => p.metadata.name).sort());
    for (const pod of pods)
      expect(podEls.find((p) => p.text.startsWith(pod.metadata.name))?.text).toContain(
        `${pod.status.podIP} · ✓ ready`,
      );

    // Services as groups over the pods their selector matches; the LB chain; the Ingress; policy; firewall.
    const services = await drawn(page, 'service');
    expect(services.map((s) => s.text.split('\n')[0])).toEqual(
      expect.arrayContaining(['default/db', 'default/web']),
    );
    const webService = services.find((s) => s.text.startsWith('default/web'));
    expect(webService?.text).toMatch(new RegExp(`LoadBalancer · [0-9.]+ · LB ${lbIp.replace(/\./g, '\\.')}`));
    expect(webService?.text).toMatch(/80→http\/TCP · NodePort 3\d{4} \(http\)/);
    const members = await page
      .locator(`#canvas .edge-member[data-source="${webService?.id}"]`)
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-target')));
    expect(members.sort()).toEqual(web.map((p) => `pod:us-central1-a/c1/default/${p.metadata.name}`).sort());
    const rules = await drawn(page, 'forwardingRule');
    expect(rules.some((r) => r.text.includes(lbIp))).toBe(true);
    expect((await drawn(page, 'targetPool')).length).toBeGreaterThan(0);
    const healthy = await page.locator('#canvas .edge-backend.status-ok').count();
    expect(healthy).toBeGreaterThanOrEqual(2);
    expect((await drawn(page, 'urlMap')).length).toBe(1);
    expect((await drawn(page, 'backendService')).length).toBeGreaterThan(0);
    expect((await drawn(page, 'ingress')).map((i) => i.text)).toEqual([
      expect.stringContaining('shop.example.com/ → web:80'),
    ]);
    expect((await drawn(page, 'policy')).map((p) => p.text)).toEqual([
      'default/db-isolated\nisolates 1 pod · Ingress',
    ]);
    expect((await drawn(page, 'firewall')).map((f) => f.text.split('\n')[0])).toContain('block-one');

    // Click a pod: the details panel shows its resource.
    progress('2');
    const first = web[0] as Json;
    await page.locator(`#canvas [data-id="pod:us-central1-a/c1/default/${first.metadata.name}"]`).click();
    await expect.poll(() => page.locator('#details h2').textContent()).toBe(`pod: ${first.metadata.name}`);
    const shown = JSON.parse((await page.locator('#details pre.resource').textContent()) ?? '{}') as Json;
    expect(shown).toMatchObject({
      name: first.metadata.name,
      namespace: 'default',
      podIP: first.status.podIP,
      nodeName: first.spec.nodeName,
      ready: true,
    });
    // Keyboard: Escape clears the selection, Enter on a focused element selects it.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('#details h2').count()).toBe(0);
    await page.locator(`#canvas [data-id="${webService?.id}"]`).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#details h2').textContent()).toBe('service: default/web');
    expect(await page.locator('#canvas .el.related[data-kind="pod"]').count()).toBe(2);

    progress('3');
    // A trace from the internet that the deny rule drops: the firewall rule is the highlighted deciding hop.
    await page.fill('#trace-source', '198.51.100.66');
    await page.check('#trace-external');
    await page.fill('#trace-destination', lbIp);
    await page.fill('#trace-port', '80');
    await page.click('#trace-form button[type=submit]');
    await expect
      .poll(() => page.locator('.trace-summary').textContent(), { timeout: 30_000 })
      .toContain('UNREACHABLE');
    expect(await page.locator('.trace-summary').textContent()).toContain('firewall block-one (DENY)');
    const dropped = (await drawn(page, 'firewall')).find((f) => f.id === 'firewall:block-one');
    expect(dropped?.classes).toContain('hop');
    expect(dropped?.classes).toContain('drop');
    expect(await page.locator('ol.hops li.hop-drop').first().textContent()).toContain('block-one');
    await page.screenshot({ path: join(SHOTS, '2-trace-dropped.png') });

    progress('4');
    // An allowed one: forwarding rule → node → pod, every web pod a candidate endpoint.
    await page.fill('#trace-source', '198.51.100.7');
    await page.click('#trace-form button[type=submit]');
    await expect
      .poll(() => page.locator('.trace-summary').textContent(), { timeout: 30_000 })
      .toContain('REACHABLE');
    expect(await page.locator('.trace-summary').textContent()).not.toContain('UNREACHABLE');
    const hopped = await page
      .locator('#canvas .el.hop')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-kind')));
    expect(hopped).toEqual(expect.arrayContaining(['forwardingRule', 'node', 'pod']));
    const candidates = await page.locator('#canvas .el.candidate[data-kind="pod"]').count();
    expect(candidates).toBe(2);
    expect(await page.locator('#trace-layer polyline.trace-path').count()).toBeGreaterThan(0);
    expect(await page.locator('#saved-tests option').count()).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: join(SHOTS, '3-trace-delivered.png') });

    progress('5');
    // Live: scale web to 4 through the Kubernetes API; the subscription redraws with the new pods.
    const rendersBefore = Number(await page.locator('body').getAttribute('data-renders'));
    await request(app.url)
      .patch(`${kube}/apis/apps/v1/namespaces/default/deployments/web/scale`)
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { replicas: 4 } })
      .expect(200);
    await expect
      .poll(async () => (await drawn(page, 'pod')).filter((p) => p.text.startsWith('web-')).length, {
        timeout: 30_000,
      })
      .toBe(4);
    expect(Number(await page.locator('body').getAttribute('data-renders'))).toBeGreaterThan(rendersBefore);
    await page.screenshot({ path: join(SHOTS, '4-scaled.png') });

    // Live, Compute only: a new network with no node in it (no cluster's data plane changes, so only the project's
    // own subscription can tell the page).
    await request(app.url)
      .post(`${compute}/global/networks`)
      .send({ name: 'live-net', autoCreateSubnetworks: false })
      .expect(200);
    await expect
      .poll(async () => (await drawn(page, 'network')).map((n) => n.text.split('\n')[0]), { timeout: 30_000 })
      .toContainEqual(expect.stringContaining('live-net'));

    expect(foreign, 'the page reached beyond 127.0.0.1').toEqual([]);
    const wsOrHttp = problems.filter((p) => !p.includes('/favicon'));
    expect(wsOrHttp).toEqual([]);
    console.log(`topology screenshots: ${SHOTS}`);
    await page.context().close();
  }, 300_000);

  describe('with --auth-token', () => {
    let gated: TestApp;
    beforeAll(async () => {
      gated = await startTestApp({ authToken: 'topology-secret' });
    });
    afterAll(async () => {
      await gated?.close();
    });

    it('says how to give the token, then works with #token=', async () => {
      const { page, foreign } = await openPage(browser);
      await page.goto(`${gated.url}/topology?project=nobody`);
      await expect.poll(() => page.locator('#auth-help').isVisible(), { timeout: 20_000 }).toBe(true);
      expect(await page.locator('#status').textContent()).toContain('#token=');
      await page.goto(`${gated.url}/topology?project=nobody#token=topology-secret`);
      await page.reload();
      await expect
        .poll(() => page.locator('#status').textContent(), { timeout: 20_000 })
        .toMatch(/^0 networks · 0 clusters/);
      expect(await page.locator('#auth-help').isVisible()).toBe(false);
      expect(foreign).toEqual([]);
      await page.context().close();
    }, 120_000);
  });
});
