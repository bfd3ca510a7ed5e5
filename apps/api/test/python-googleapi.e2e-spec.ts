import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, testProject, useTestApp, type TestApp } from '@gke-emulator/testing';

/**
 * Debian's google-api-python-client (`python3-googleapi`, run by the system's /usr/bin/python3, not a python3 a
 * version manager puts first on PATH) builds its Compute and GKE clients from the emulator's discovery documents
 * (`discoveryServiceUrl`) and drives networks, subnetworks with secondary ranges, firewalls, operation waits and a
 * cluster's life through them, unchanged. `.ci/run` installs the package where it is missing.
 */

const PYTHON = '/usr/bin/python3';
const pythonClientAvailable =
  spawnSync(PYTHON, ['-c', 'import googleapiclient.discovery, httplib2'], { stdio: 'ignore' }).status === 0;

const SCRIPT = String.raw`
import json, sys, time
import httplib2
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

url, project = sys.argv[1], sys.argv[2]
discovery = url + '/discovery/v1/apis/{api}/{apiVersion}/rest'
# no credentials: an unauthenticated http (the emulator runs without a token here)
compute = build('compute', 'v1', http=httplib2.Http(), discoveryServiceUrl=discovery, cache_discovery=False)
container = build('container', 'v1', http=httplib2.Http(), discoveryServiceUrl=discovery, cache_discovery=False)
out = {}

def until_done(op, wait):
    deadline = time.time() + 60
    while op['status'] != 'DONE':
        if time.time() > deadline:
            raise Exception('operation %s not DONE in time' % op['name'])
        op = wait(op['name'])
    return op

def global_wait(name):
    return compute.globalOperations().wait(project=project, operation=name).execute()

def region_wait(name):
    return compute.regionOperations().wait(project=project, region='us-central1', operation=name).execute()

op = compute.networks().insert(project=project, body={'name': 'vpc', 'autoCreateSubnetworks': False}).execute()
out['networkInsert'] = until_done(op, global_wait)
out['networkGet'] = compute.networks().get(project=project, network='vpc').execute()
out['networkNames'] = [n['name'] for n in compute.networks().list(project=project).execute().get('items', [])]

op = compute.subnetworks().insert(project=project, region='us-central1', body={
    'name': 'nodes', 'network': out['networkGet']['selfLink'], 'ipCidrRange': '10.0.0.0/24',
    'secondaryIpRanges': [{'rangeName': 'pods', 'ipCidrRange': '10.4.0.0/14'},
                          {'rangeName': 'services', 'ipCidrRange': '10.8.0.0/20'}]}).execute()
out['subnetworkInsert'] = until_done(op, region_wait)
out['subnetworkGet'] = compute.subnetworks().get(project=project, region='us-central1', subnetwork='nodes').execute()

op = compute.firewalls().insert(project=project, body={
    'name': 'allow-ssh', 'network': 'global/networks/vpc', 'sourceRanges': ['0.0.0.0/0'],
    'allowed': [{'IPProtocol': 'tcp', 'ports': ['22']}], 'targetTags': ['ssh']}).execute()
out['firewallInsert'] = until_done(op, global_wait)
out['firewalls'] = compute.firewalls().list(project=project, filter='name = allow-ssh').execute().get('items', [])

# paging through list_next: one network per page
pages, req = [], compute.networks().list(project=project, maxResults=1)
while req is not None:
    page = req.execute()
    pages.append([n['name'] for n in page.get('items', [])])
    req = compute.networks().list_next(req, page)
out['networkPages'] = pages

location = 'projects/%s/locations/us-central1-a' % project
clusters = container.projects().locations().clusters()
operations = container.projects().locations().operations()
def cluster_wait(name):
    return operations.get(name='%s/operations/%s' % (location, name)).execute()
op = clusters.create(parent=location, body={'cluster': {
    'name': 'c1', 'network': 'vpc', 'subnetwork': 'nodes', 'initialNodeCount': 1,
    'ipAllocationPolicy': {'useIpAliases': True, 'clusterSecondaryRangeName': 'pods',
                           'servicesSecondaryRangeName': 'services'}}}).execute()
out['clusterCreate'] = until_done(op, cluster_wait)
out['clusterGet'] = clusters.get(name=location + '/clusters/c1').execute()
out['clusterGetZonal'] = container.projects().zones().clusters().get(
    projectId=project, zone='us-central1-a', clusterId='c1').execute()
out['nodePools'] = [p['name'] for p in clusters.nodePools().list(parent=location + '/clusters/c1').execute()['nodePools']]
out['clusterNames'] = [c['name'] for c in clusters.list(parent='projects/%s/locations/-' % project).execute().get('clusters', [])]
op = clusters.delete(name=location + '/clusters/c1').execute()
out['clusterDelete'] = until_done(op, cluster_wait)
try:
    clusters.get(name=location + '/clusters/c1').execute()
    out['afterDelete'] = 'found'
except HttpError as e:
    out['afterDelete'] = e.resp.status

# the client checks parameters against the document before sending anything
try:
    clusters.get(name='not-a-cluster-name').execute()
    out['badName'] = 'sent'
except TypeError as e:
    out['badName'] = str(e)

print(json.dumps(out))
`;

/** With a token: credentials as a user holding an access token passes them; the documents need none. */
const WITH_TOKEN = String.raw`
import json, sys
import google.oauth2.credentials
from googleapiclient.discovery import build
url, project, token = sys.argv[1], sys.argv[2], sys.argv[3]
discovery = url + '/discovery/v1/apis/{api}/{apiVersion}/rest'
compute = build('compute', 'v1', credentials=google.oauth2.credentials.Credentials(token),
                discoveryServiceUrl=discovery, cache_discovery=False)
print(json.dumps(compute.networks().list(project=project).execute()))
`;

/** Runs a script against the emulator (asynchronously: the emulator runs in this process and must answer). */
function runPython(
  source: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'python-googleapi-'));
  const script = join(dir, 'drive.py');
  writeFileSync(script, source);
  return new Promise((resolve, reject) => {
    // no discovery cache, no ADC lookups: a clean HOME
    const child = spawn(PYTHON, [script, ...args], { env: { PATH: '/usr/bin:/bin', HOME: dir } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    });
  });
}

type Json = Record<string, unknown>;

describe('discovery documents', () => {
  const app = useTestApp();

  it('serves compute v1 and container v1 rooted on the host the client used', async () => {
    const compute = await request(app.url)
      .get('/discovery/v1/apis/compute/v1/rest')
      .set('Accept-Encoding', 'gzip, deflate')
      .expect(200);
    expect(compute.headers['content-type']).toMatch(/^application\/json/);
    // gzipped for a client that takes it (supertest decompresses it), as Google's
    expect(compute.headers['content-encoding']).toBe('gzip');
    expect(compute.body).toMatchObject({
      kind: 'discovery#restDescription',
      discoveryVersion: 'v1',
      id: 'compute:v1',
      name: 'compute',
      version: 'v1',
      protocol: 'rest',
      rootUrl: `${app.url}/`,
      servicePath: 'compute/v1/',
      baseUrl: `${app.url}/compute/v1/`,
      batchPath: 'batch/compute/v1',
    });
    expect(compute.body.resources.networks.methods.insert).toMatchObject({
      id: 'compute.networks.insert',
      path: 'projects/{project}/global/networks',
      httpMethod: 'POST',
      parameterOrder: ['project'],
      request: { $ref: 'Network' },
      response: { $ref: 'Operation' },
    });

    const other = await request(app.url)
      .get('/discovery/v1/apis/container/v1/rest')
      .set('Host', `localhost:${app.port}`)
      .set('Accept-Encoding', 'identity')
      .expect(200);
    expect(other.headers['content-encoding']).toBeUndefined();
    expect(other.body).toMatchObject({
      id: 'container:v1',
      rootUrl: `http://localhost:${app.port}/`,
      servicePath: '',
      baseUrl: `http://localhost:${app.port}/`,
    });
    expect(other.body.resources.projects.resources.locations.resources.clusters.methods.get).toMatchObject({
      id: 'container.projects.locations.clusters.get',
      path: 'v1/{+name}',
      flatPath: 'v1/projects/{projectsId}/locations/{locationsId}/clusters/{clustersId}',
    });
  });

  it('lists both in the directory and answers 404 for an API it does not serve', async () => {
    const list = await request(app.url).get('/discovery/v1/apis').expect(200);
    expect(list.body.kind).toBe('discovery#directoryList');
    expect((list.body.items as Json[]).map((item) => [item['id'], item['discoveryRestUrl']])).toEqual([
      ['compute:v1', `${app.url}/discovery/v1/apis/compute/v1/rest`],
      ['container:v1', `${app.url}/discovery/v1/apis/container/v1/rest`],
    ]);
    const one = await request(app.url).get('/discovery/v1/apis?name=container').expect(200);
    expect((one.body.items as Json[]).map((item) => item['id'])).toEqual(['container:v1']);
    const none = await request(app.url).get('/discovery/v1/apis?name=storage').expect(200);
    expect(none.body).toEqual({ kind: 'discovery#directoryList', discoveryVersion: 'v1' });

    for (const path of ['/discovery/v1/apis/storage/v1/rest', '/discovery/v1/apis/compute/beta/rest']) {
      const missing = await request(app.url).get(path).expect(404);
      expect(missing.body.error).toMatchObject({
        code: 404,
        message: 'Requested entity was not found.',
        errors: [{ reason: 'notFound', domain: 'global' }],
      });
    }
  });
});

describe('discovery documents with an auth token', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ authToken: 's3cret' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('are public, as Google’s are (a client fetches them before it has credentials), on this emulator’s hosts only', async () => {
    const document = await request(app.url).get('/discovery/v1/apis/compute/v1/rest').expect(200);
    expect(document.body.rootUrl).toBe(`${app.url}/`);
    await request(app.url).get('/discovery/v1/apis').expect(200);
    // the API itself still needs the token
    await request(app.url)
      .get(`/compute/v1/projects/${testProject('disc')}/global/networks`)
      .expect(401);
    // and a document names its host, so a foreign one is refused as everywhere else
    const foreign = await request(app.url)
      .get('/discovery/v1/apis/compute/v1/rest')
      .set('Host', 'attacker.example')
      .expect(403);
    expect(foreign.body.error.errors[0]).toMatchObject({ reason: 'forbidden', location: 'Host' });
  });

  it.skipIf(!pythonClientAvailable)(
    'let google-api-python-client build its client without the token, then call with its credentials',
    async () => {
      const project = testProject('pytok');
      const result = await runPython(WITH_TOKEN, [app.url, project, 's3cret']);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ kind: 'compute#networkList' });
      const refused = await runPython(WITH_TOKEN, [app.url, project, 'wrong-token']);
      expect(refused.code).not.toBe(0);
      // the emulator's 401 makes the client refresh its credentials, which a bare access token cannot
      expect(refused.stderr).toContain('RefreshError');
    },
  );
});

// Skipped only when /usr/bin/python3 cannot import googleapiclient (Debian's python3-googleapi is not installed):
// there is then no discovery-based client to drive.
describe.skipIf(!pythonClientAvailable)('google-api-python-client built from the discovery documents', () => {
  const app = useTestApp();

  it('drives networks, subnetworks, firewalls, operation waits and a GKE cluster', async () => {
    const project = testProject('pyapi');
    // Operations stay RUNNING for a while, so the waits are exercised.
    await request(app.url)
      .patch('/emulator/v1/settings')
      .query({ project })
      .send({ operationDelayMs: 300 })
      .expect(200);

    const result = await runPython(SCRIPT, [app.url, project]);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as Record<string, Json & Record<string, unknown>>;

    expect(out['networkInsert']).toMatchObject({ status: 'DONE', operationType: 'insert' });
    expect(out['networkGet']).toMatchObject({
      kind: 'compute#network',
      name: 'vpc',
      autoCreateSubnetworks: false,
      selfLink: `${app.url}/compute/v1/projects/${project}/global/networks/vpc`,
    });
    expect(out['networkNames']).toEqual(['vpc']);

    expect(out['subnetworkInsert']).toMatchObject({
      status: 'DONE',
      region: expect.stringContaining('/us-central1'),
    });
    expect(out['subnetworkGet']).toMatchObject({
      name: 'nodes',
      ipCidrRange: '10.0.0.0/24',
      secondaryIpRanges: [
        { rangeName: 'pods', ipCidrRange: '10.4.0.0/14' },
        { rangeName: 'services', ipCidrRange: '10.8.0.0/20' },
      ],
    });

    expect(out['firewallInsert']).toMatchObject({ status: 'DONE' });
    expect(out['firewalls']).toEqual([
      expect.objectContaining({
        name: 'allow-ssh',
        network: `${app.url}/compute/v1/projects/${project}/global/networks/vpc`,
        allowed: [{ IPProtocol: 'tcp', ports: ['22'] }],
        targetTags: ['ssh'],
      }),
    ]);
    expect(out['networkPages']).toEqual([['vpc']]);

    expect(out['clusterCreate']).toMatchObject({ status: 'DONE', operationType: 'CREATE_CLUSTER' });
    expect(out['clusterGet']).toMatchObject({
      name: 'c1',
      status: 'RUNNING',
      network: 'vpc',
      subnetwork: 'nodes',
      ipAllocationPolicy: { useIpAliases: true, clusterSecondaryRangeName: 'pods' },
    });
    expect(out['clusterGetZonal']).toMatchObject({ name: 'c1', selfLink: out['clusterGet']?.['selfLink'] });
    expect(out['nodePools']).toEqual(['default-pool']);
    expect(out['clusterNames']).toEqual(['c1']);
    expect(out['clusterDelete']).toMatchObject({ status: 'DONE', operationType: 'DELETE_CLUSTER' });
    expect(out['afterDelete']).toBe(404);
    expect(String(out['badName'])).toContain('does not match the pattern');
  });
});
