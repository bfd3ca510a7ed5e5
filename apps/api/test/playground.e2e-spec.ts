import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium, startTestApp, testProject, type TestApp } from '@gke-emulator/testing';

const SCREENSHOT = '/tmp/playground.png';

// The playground is GraphiQL in a real browser, so only a browser can test it. Machines without Chromium
// (the Debian `chromium` package, or CHROMIUM_PATH) skip this file rather than download one: playwright-core
// brings no browser, and these machines may have no internet.
describe.skipIf(!chromiumPath())('GraphQL playground in headless Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A fresh page that records every request it makes and every error it throws or logs. */
  async function openPage() {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    page.on('requestfailed', (req) =>
      problems.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`),
    );
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error')
        problems.push(`console error: ${message.text()} (${message.location().url})`);
    });
    return { page, requests, problems };
  }

  /** Text of one of GraphiQL's CodeMirror editors as rendered on screen (CodeMirror draws spaces as U+00A0). */
  const editorText = (page: Page, selector: string) =>
    page.locator(`${selector} .CodeMirror-code`).evaluate((code) =>
      Array.from(code.querySelectorAll('.CodeMirror-line'))
        .map((line) => (line.textContent ?? '').replace(/[\u00a0]/g, ' ').replace(/[\u200b]/g, ''))
        .join('\n'),
    );

  it('runs a query typed into GraphiQL, loading everything from the emulator itself', async () => {
    const project = testProject('playground');
    await request(app.url)
      .post(`/compute/v1/projects/${project}/global/networks`)
      .send({ name: 'browser-vpc', autoCreateSubnetworks: false })
      .expect(200);
    await request(app.url)
      .post(`/compute/v1/projects/${project}/regions/us-central1/subnetworks`)
      .send({ name: 'browser-subnet', network: 'browser-vpc', ipCidrRange: '10.9.0.0/24' })
      .expect(200);

    const { page, requests, problems } = await openPage();
    await page.goto(`${app.url}/playground`, { waitUntil: 'load' });
    const queryEditor = page.locator('.graphiql-query-editor .CodeMirror');
    await queryEditor.waitFor({ state: 'visible', timeout: 20_000 });

    // Replace the default query by typing, as a user would (GraphiQL closes brackets and quotes as they are typed).
    const query = `{ networks(project: "${project}") { name subnetworks { name ipCidrRange } } }`;
    await queryEditor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(query);
    await page.keyboard.press('Escape'); // closes an autocompletion popup, if one is open
    expect(await editorText(page, '.graphiql-query-editor')).toBe(query);
    await page.getByRole('button', { name: /^Prettify query/ }).click();
    await expect.poll(() => editorText(page, '.graphiql-query-editor')).toContain('\n    subnetworks {\n');

    await page.locator('button.graphiql-execute-button').click();
    const result = page.locator('.graphiql-response');
    await expect
      .poll(() => editorText(page, '.graphiql-response'), { timeout: 15_000 })
      .toContain('"browser-vpc"');
    const shown = JSON.parse(await editorText(page, '.graphiql-response')) as unknown;
    expect(shown).toEqual({
      data: {
        networks: [
          { name: 'browser-vpc', subnetworks: [{ name: 'browser-subnet', ipCidrRange: '10.9.0.0/24' }] },
        ],
      },
    });
    await expect.poll(() => result.isVisible()).toBe(true);
    await page.screenshot({ path: SCREENSHOT });

    // The schema reached the page by introspection: the documentation explorer lists both root types.
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await expect.poll(() => docs.textContent(), { timeout: 10_000 }).toContain('Mutation');
    expect(await docs.textContent()).toContain('query: Query');

    // "Works with no internet": every script, stylesheet, font and fetch came from the emulator's own origin.
    const origin = new URL(app.url).origin;
    const foreign = requests.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin);
    expect(foreign, 'the playground reached beyond the emulator').toEqual([]);
    const paths = requests.map((url) => new URL(url).pathname);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/playground',
        '/playground/assets/graphiql.min.js',
        '/playground/assets/graphiql.min.css',
        '/playground/assets/react.production.min.js',
        '/playground/assets/react-dom.production.min.js',
        '/graphql',
      ]),
    );
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('presets the query from ?query= and runs it with Ctrl-Enter', async () => {
    const project = testProject('playground');
    await request(app.url)
      .post(`/compute/v1/projects/${project}/global/networks`)
      .send({ name: 'linked-vpc', autoCreateSubnetworks: false })
      .expect(200);
    const { page, problems } = await openPage();
    const query = `query Linked { network(project: "${project}", name: "linked-vpc") { name mtu } }`;
    await page.goto(`${app.url}/playground?query=${encodeURIComponent(query)}`);
    const queryEditor = page.locator('.graphiql-query-editor .CodeMirror');
    await queryEditor.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await editorText(page, '.graphiql-query-editor')).toBe(query);
    await queryEditor.click();
    await page.keyboard.press('Control+Enter');
    await expect
      .poll(() => editorText(page, '.graphiql-response'), { timeout: 15_000 })
      .toContain('"linked-vpc"');
    expect(JSON.parse(await editorText(page, '.graphiql-response'))).toEqual({
      data: { network: { name: 'linked-vpc', mtu: 1460 } },
    });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows a failing query as GraphQL errors with the Google reason', async () => {
    const { page, problems } = await openPage();
    await page.goto(`${app.url}/playground`);
    const queryEditor = page.locator('.graphiql-query-editor .CodeMirror');
    await queryEditor.waitFor({ state: 'visible', timeout: 20_000 });
    await queryEditor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(
      `{ network(project: "${testProject('playground')}", name: "missing") { name } }`,
    );
    await page.keyboard.press('Escape');
    await page.locator('button.graphiql-execute-button').click();
    await expect
      .poll(() => editorText(page, '.graphiql-response'), { timeout: 15_000 })
      .toContain('"notFound"');
    const shown = JSON.parse(await editorText(page, '.graphiql-response')) as {
      errors: { extensions: unknown }[];
    };
    expect(shown.errors[0]?.extensions).toEqual({ code: 'notFound', httpStatus: 404 });
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
