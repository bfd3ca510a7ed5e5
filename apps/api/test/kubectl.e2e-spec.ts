import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority } from '@gke-emulator/container';
import { useTestApp } from '@gke-emulator/testing';
import { createTestCluster, type TestCluster } from './support/kube-test-cluster';

const run = promisify(execFile);
const hasKubectl = await run('kubectl', ['version', '--client'])
  .then(() => true)
  .catch(() => false);
if (!hasKubectl) console.warn('kubectl is not installed: skipping the kubectl end-to-end tests');

const MANIFEST = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
          ports: [{ containerPort: 80 }]
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector: { app: web }
  ports: [{ port: 80, targetPort: 80 }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-allow
spec:
  podSelector: { matchLabels: { app: web } }
  ingress:
    - from: [{ podSelector: { matchLabels: { role: client } } }]
      ports: [{ port: 80 }]
`;

describe.skipIf(!hasKubectl)('kubectl against the TLS listener', () => {
  const app = useTestApp();
  let cluster: TestCluster;
  let dir: string;

  const kubectl = async (...args: string[]) => {
    const { stdout } = await run('kubectl', args, {
      env: { ...process.env, KUBECONFIG: join(dir, 'config') },
      timeout: 30_000,
    });
    return stdout;
  };

  beforeAll(async () => {
    cluster = await createTestCluster(app.database);
    dir = mkdtempSync(join(tmpdir(), 'kubectl-'));
    const ca = await app.api.app.get(CertificateAuthority).clusterCaCertificate();
    const name = `gke_${cluster.project}_${cluster.location}_${cluster.name}`;
    writeFileSync(
      join(dir, 'config'),
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name,
            cluster: {
              server: `https://127.0.0.1:${app.api.kubePort}${cluster.prefix}`,
              'certificate-authority-data': ca,
            },
          },
        ],
        users: [{ name, user: { token: 'any' } }],
        contexts: [{ name, context: { cluster: name, user: name } }],
        'current-context': name,
      }),
    );
    writeFileSync(join(dir, 'app.yaml'), MANIFEST);
  });

  it('applies a manifest, reads it back in every output, labels, scales and deletes', async () => {
    expect(await kubectl('apply', '-f', join(dir, 'app.yaml'))).toBe(
      'deployment.apps/web created\nservice/web created\nnetworkpolicy.networking.k8s.io/web-allow created\n',
    );
    // the policy's ports get protocol TCP by default, and its rules are an atomic list: kubectl re-sends them
    expect(await kubectl('apply', '-f', join(dir, 'app.yaml'))).toMatch(
      /^deployment.apps\/web unchanged\nservice\/web unchanged\nnetworkpolicy.networking.k8s.io\/web-allow (unchanged|configured)\n$/,
    );
    const deployment = JSON.parse(await kubectl('get', 'deployment', 'web', '-o', 'json'));
    expect(deployment.metadata.annotations).toHaveProperty(
      'kubectl.kubernetes.io/last-applied-configuration',
    );
    expect(deployment.spec.replicas).toBe(2);
    expect(await kubectl('get', 'networkpolicy', 'web-allow', '-o', 'yaml')).toContain('podSelector:');

    const wide = await kubectl('get', 'deployments', '-o', 'wide');
    expect(wide.split('\n')[0]).toMatch(
      /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/,
    );
    expect(wide.split('\n')[1]).toMatch(
      /^web\s+[0-2]\/2\s+[0-2]\s+[0-2]\s+\d+s\s+nginx\s+nginx:1.27\s+app=web$/,
    );
    const services = await kubectl('get', 'services');
    expect(services.split('\n')[0]).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/);
    const nodes = await kubectl('get', 'nodes', '-o', 'wide');
    expect(nodes).toContain(cluster.nodes[0]);
    expect(nodes).toMatch(/Ready\s+<none>/);

    expect(await kubectl('describe', 'deployment', 'web')).toMatch(/Replicas:\s+2 desired/);
    expect(await kubectl('describe', 'networkpolicy', 'web-allow')).toContain('PodSelector:');

    expect(await kubectl('label', 'deployment', 'web', 'tier=front')).toBe('deployment.apps/web labeled\n');
    expect(await kubectl('get', 'deployments', '-l', 'tier=front', '-o', 'name')).toBe(
      'deployment.apps/web\n',
    );
    expect(await kubectl('label', 'node', cluster.nodes[0] as string, 'pool=blue')).toBe(
      `node/${cluster.nodes[0]} labeled\n`,
    );
    expect(await kubectl('get', 'nodes', '-l', 'pool=blue', '-o', 'name')).toBe(`node/${cluster.nodes[0]}\n`);

    expect(await kubectl('scale', 'deployment', 'web', '--replicas=4')).toBe('deployment.apps/web scaled\n');
    expect(await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}')).toBe('4');

    expect(await kubectl('apply', '--server-side', '-f', join(dir, 'app.yaml'))).toContain(
      'serverside-applied',
    );

    writeFileSync(
      join(dir, 'bad.yaml'),
      (MANIFEST.split('---')[0] as string).replace('name: web', 'name: Bad_Name'),
    );
    const refused = await kubectl('apply', '-f', join(dir, 'bad.yaml')).catch(
      (error: { stderr: string }) => error.stderr,
    );
    expect(refused).toContain('is invalid');

    expect(await kubectl('delete', '-f', join(dir, 'app.yaml'))).toContain('deployment.apps "web" deleted');
    expect(await kubectl('get', 'deployments', '-o', 'name')).toBe('');
  });

  it("shows the apiserver's messages for bad names, labels and 300 KiB of annotations", async () => {
    const refused = async (...args: string[]) =>
      kubectl(...args).then(
        (stdout) => `unexpectedly accepted: ${stdout}`,
        (error: { stderr: string }) => error.stderr,
      );
    const SUBDOMAIN =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    // `kubectl run` names the container after the pod: two causes, listed one a line.
    expect(await refused('run', 'Bad_Name', '--image=nginx', '--restart=Never')).toBe(
      `The Pod "Bad_Name" is invalid: \n* metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN}\n` +
        `* spec.containers[0].name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')\n`,
    );
    expect(
      await refused('run', 'labelled', '--image=nginx', '--restart=Never', '--labels=tier=-x'),
    ).toContain(
      `The Pod "labelled" is invalid: metadata.labels: Invalid value: "-x": a valid label must be an empty string`,
    );
    writeFileSync(
      join(dir, 'big.json'),
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'big', annotations: { note: 'x'.repeat(300 * 1024) } },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      }),
    );
    expect(await refused('create', '-f', join(dir, 'big.json'))).toBe(
      'The Pod "big" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes\n',
    );
    expect(await kubectl('get', 'pods', '-o', 'name')).not.toMatch(/Bad_Name|labelled|big/);
  });

  it('watches pods', async () => {
    const watching = kubectl('get', 'pods', '--watch', '--request-timeout=3s', '-o', 'name').catch(
      (error: { stdout: string }) => error.stdout,
    );
    // whether the pod is made before kubectl lists or after, it must show up in the watch's output
    await kubectl('run', 'watched', '--image=nginx', '--restart=Never');
    expect(await watching).toContain('pod/watched');
  });
});
