import { describe, expect, it } from 'vitest';
import {
  dataplaneConverged,
  eventually,
  gcloudAvailable,
  kubectlWithAuthPluginAvailable,
  useGcloudScenarios,
  useTestWorker,
} from '@gke-emulator/testing';

/**
 * Connectivity Tests (issue 15) through the real clients: gcloud makes the VPC and a VPC-native cluster with
 * NetworkPolicy enforcement, kubectl a Deployment behind a LoadBalancer Service with `externalTrafficPolicy: Local`
 * and `loadBalancerSourceRanges`, and a NetworkPolicy isolating a database; then
 * `gcloud network-management connectivity-tests` creates, describes, reruns, updates, lists and deletes tests whose
 * traces name the step and the rule that decided.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects read loosely in assertions
type Json = Record<string, any>;
const ZONE = 'us-central1-a';

/** A Deployment of one nginx replica labelled `app: <name>`, its port 8080 named `http`. */
const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - {name: ${name}, image: nginx, ports: [{name: http, containerPort: 8080}]}`;

const MANIFEST = `
${deployment('web')}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  loadBalancerSourceRanges: [198.51.100.0/24]
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client}
spec:
  replicas: 1
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}}
    spec:
      containers:
      - {name: client, image: busybox}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db}
spec:
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - {name: db, image: postgres, ports: [{containerPort: 5432}]}
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  selector: {app: db}
  ports:
  - {port: 5432, targetPort: 5432}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-isolated}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress]
`;

const INGRESS_MANIFEST = `
apiVersion: cloud.google.com/v1
kind: BackendConfig
metadata: {name: armored}
spec:
  securityPolicy: {name: edge}
---
apiVersion: cloud.google.com/v1
kind: BackendConfig
metadata: {name: staff-only}
spec:
  iap: {enabled: true, oauthclientCredentials: {secretName: oauth}}
---
${deployment('shop')}
---
apiVersion: v1
kind: Service
metadata:
  name: shop
  annotations: {cloud.google.com/backend-config: '{"default": "armored"}'}
spec:
  type: NodePort
  selector: {app: shop}
  ports:
  - {name: http, port: 80, targetPort: http}
---
apiVersion: v1
kind: Service
metadata:
  name: staff
  annotations: {cloud.google.com/backend-config: '{"default": "staff-only"}'}
spec:
  type: NodePort
  selector: {app: shop}
  ports:
  - {name: http, port: 80, targetPort: http}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop}
spec:
  defaultBackend: {service: {name: shop, port: {number: 80}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: staff}
spec:
  defaultBackend: {service: {name: staff, port: {number: 80}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: shop-isolated}
spec:
  podSelector: {matchLabels: {app: shop}}
  policyTypes: [Ingress]
`;

type Scenario = ReturnType<ReturnType<typeof useGcloudScenarios>['scenario']>;

/** gcloud and kubectl commands that must succeed (kubectl's answer is its stdout), and kubectl's JSON output. */
function clients(scenario: Scenario) {
  const must = async (line: string) => {
    const result = await scenario.run(line);
    expect(result.code, `${line}\n${result.stderr}`).toBe(0);
    return result;
  };
  const kubectl = async (args: string[], stdin?: string) => {
    const result = await scenario.kubectl(args, stdin === undefined ? {} : { stdin });
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  const kubectlJson = async (...args: string[]): Promise<Json> =>
    JSON.parse(await kubectl([...args, '-o', 'json']));
  return { must, kubectl, kubectlJson };
}

function lastStep(trace: Json): Json {
  return trace.steps[trace.steps.length - 1];
}

function deciding(trace: Json): Json | undefined {
  return (trace.steps as Json[]).find((step) => step.causesDrop);
}

describe.skipIf(!gcloudAvailable() || !kubectlWithAuthPluginAvailable())(
  'gcloud network-management connectivity-tests against a GKE cluster (skipped: gcloud, kubectl or gke-gcloud-auth-plugin missing)',
  () => {
    const gcloud = useGcloudScenarios('conn');
    useTestWorker();

    it('traces the internet to a LoadBalancer Service and a pod to a policed ClusterIP, naming what decides', async () => {
      const scenario = gcloud.scenario();
      const { run, json, project } = scenario;
      const { must, kubectl, kubectlJson } = clients(scenario);

      await must('compute networks create vpc --subnet-mode=custom');
      await must(
        'compute networks subnets create nodes --network=vpc --region=us-central1 --range=10.0.0.0/24 ' +
          '--secondary-range=pods=10.4.0.0/14,services=10.8.0.0/20',
      );
      await must(
        `container clusters create c1 --zone=${ZONE} --network=vpc --subnetwork=nodes --enable-ip-alias ` +
          '--cluster-secondary-range-name=pods --services-secondary-range-name=services --num-nodes=2 ' +
          '--enable-network-policy',
      );
      await must(`container clusters get-credentials c1 --zone=${ZONE}`);
      await kubectl(['apply', '-f', '-'], MANIFEST);
      const lbIp = await eventually(async () => {
        const service = await kubectlJson('get', 'service', 'web');
        return service.status?.loadBalancer?.ingress?.[0]?.ip as string | undefined;
      }, 'the LoadBalancer address of web');
      const pods = (await kubectlJson('get', 'pods')).items as Json[];
      const podOf = (app: string) => pods.find((pod) => pod.metadata.labels?.app === app) as Json;
      const web = podOf('web');
      const client = podOf('client');
      const dbService = await kubectlJson('get', 'service', 'db');
      await must(
        'compute firewall-rules create block-one --network=vpc --action=DENY --rules=tcp:80 ' +
          '--source-ranges=198.51.100.66/32 --priority=100',
      );
      await dataplaneConverged(gcloud.url(), project);

      const describe = (name: string) => json<Json>(`network-management connectivity-tests describe ${name}`);
      const create = async (name: string, flags: string) => {
        await must(`network-management connectivity-tests create ${name} ${flags} --protocol=TCP`);
        return describe(name);
      };

      // Allowed: the source range lets the client in; only the node with the web pod passes the health check.
      const allowed = await create(
        'allowed',
        `--source-ip-address=198.51.100.7 --source-network-type=non-gcp-network --destination-ip-address=${lbIp} --destination-port=80`,
      );
      expect(allowed.reachabilityDetails.result).toBe('REACHABLE');
      const traces = allowed.reachabilityDetails.traces as Json[];
      expect(traces).toHaveLength(1);
      const [trace] = traces as [Json];
      expect((trace.steps as Json[]).map((step) => step.state).slice(0, 5)).toEqual([
        'START_FROM_INTERNET',
        'APPLY_FORWARDING_RULE',
        'ARRIVE_AT_EXTERNAL_LOAD_BALANCER',
        'APPLY_INGRESS_FIREWALL_RULE',
        'ARRIVE_AT_INSTANCE',
      ]);
      const backends = trace.steps[2].loadBalancer.backends as Json[];
      expect(backends.map((b) => [b.displayName, b.healthState]).sort()).toEqual(
        backends
          .map((b) => [b.displayName, b.displayName === web.spec.nodeName ? 'HEALTHY' : 'UNHEALTHY'])
          .sort(),
      );
      expect(trace.steps[3].firewall.displayName).toMatch(/^k8s-fw-a/);
      expect(trace.steps[4].instance.displayName).toBe(web.spec.nodeName);
      expect(lastStep(trace)).toMatchObject({
        state: 'DELIVER',
        pod: { namespace: 'default', name: web.metadata.name },
      });

      // Source-range-dropped: the k8s-fw rule only admits the Service's loadBalancerSourceRanges.
      const ranged = await create(
        'source-range',
        `--source-ip-address=203.0.113.5 --source-network-type=non-gcp-network --destination-ip-address=${lbIp} --destination-port=80`,
      );
      expect(ranged.reachabilityDetails.result).toBe('UNREACHABLE');
      const rangedTrace = ranged.reachabilityDetails.traces[0] as Json;
      expect(deciding(rangedTrace)?.firewall.displayName).toBe('implied-deny-ingress');
      expect(lastStep(rangedTrace).drop.cause).toBe('FIREWALL_RULE');

      // Firewall-dropped: a higher-priority deny rule wins.
      const blocked = await create(
        'blocked',
        `--source-ip-address=198.51.100.66 --source-network-type=non-gcp-network --destination-ip-address=${lbIp} --destination-port=80`,
      );
      expect(blocked.reachabilityDetails.result).toBe('UNREACHABLE');
      expect(deciding(blocked.reachabilityDetails.traces[0])?.firewall).toMatchObject({
        displayName: 'block-one',
        action: 'DENY',
        firewallRuleType: 'VPC_FIREWALL_RULE',
      });

      // NetworkPolicy-dropped: the client pod to the db Service; db is isolated and nothing allows.
      const policed = await create(
        'policed',
        `--source-ip-address=${client.status.podIP} --destination-ip-address=${dbService.spec.clusterIP} --destination-port=5432`,
      );
      expect(policed.reachabilityDetails.result).toBe('UNREACHABLE');
      const policedStep = deciding(policed.reachabilityDetails.traces[0]);
      expect(policedStep?.networkPolicy).toMatchObject({
        direction: 'ingress',
        enforced: true,
        isolatingPolicies: ['default/db-isolated'],
      });
      expect(lastStep(policed.reachabilityDetails.traces[0]).drop.cause).toBe('DROPPED_INSIDE_GKE_SERVICE');

      // The same by name: --destination-fqdn, resolved as kube-dns answers the client pod, traced to db's ClusterIP.
      const byName = await create(
        'policed-by-name',
        `--source-ip-address=${client.status.podIP} --destination-fqdn=db.default.svc.cluster.local ` +
          `--destination-gke-master-cluster=projects/${project}/locations/${ZONE}/clusters/c1 --destination-port=5432`,
      );
      expect(byName.destination.fqdn).toBe('db.default.svc.cluster.local');
      expect(byName.reachabilityDetails.result).toBe('UNREACHABLE');
      expect(byName.reachabilityDetails.traces[0].endpointInfo.destinationIp).toBe(dbService.spec.clusterIP);
      expect(deciding(byName.reachabilityDetails.traces[0])?.networkPolicy).toMatchObject({
        isolatingPolicies: ['default/db-isolated'],
      });
      const unresolved = await create(
        'unresolved',
        `--source-ip-address=${client.status.podIP} --destination-fqdn=nope ` +
          `--destination-gke-master-cluster=projects/${project}/locations/${ZONE}/clusters/c1 --destination-port=5432`,
      );
      expect(unresolved.reachabilityDetails.result).toBe('UNDETERMINED');
      expect(unresolved.reachabilityDetails.traces[0].steps[0].abort.cause).toBe(
        'DESTINATION_ENDPOINT_NOT_FOUND',
      );
      await must('network-management connectivity-tests delete unresolved');

      // With enforcement off, a rerun says the policy exists but is not enforced, and delivers.
      await must(`container clusters update c1 --zone=${ZONE} --no-enable-network-policy`);
      await must('network-management connectivity-tests rerun policed');
      const unpoliced = await describe('policed');
      expect(unpoliced.reachabilityDetails.result).toBe('REACHABLE');
      const ingress = (unpoliced.reachabilityDetails.traces[0].steps as Json[]).find(
        (step) => step.networkPolicy?.direction === 'ingress',
      );
      expect(ingress?.networkPolicy).toMatchObject({ enforced: false, allowed: false });

      // No healthy node: with no web pod left, every node fails the health check and kube-proxy drops.
      await kubectl(['scale', 'deployment', 'web', '--replicas=0']);
      await eventually(async () => {
        const slices = (await kubectlJson('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web'))
          .items as Json[];
        return slices.every((slice) => (slice.endpoints ?? []).length === 0) ? true : undefined;
      }, 'web to have no endpoints');
      await dataplaneConverged(gcloud.url(), project);
      await must('network-management connectivity-tests rerun allowed');
      const unhealthy = await describe('allowed');
      expect(unhealthy.reachabilityDetails.result).toBe('UNREACHABLE');
      for (const path of unhealthy.reachabilityDetails.traces as Json[]) {
        expect(
          (path.steps[2].loadBalancer.backends as Json[]).every((b) => b.healthState === 'UNHEALTHY'),
        ).toBe(true);
        expect(lastStep(path).drop.cause).toBe('DROPPED_INSIDE_GKE_SERVICE');
      }

      // update, list, delete
      await must('network-management connectivity-tests update blocked --destination-port=81');
      const mismatched = await describe('blocked');
      expect(mismatched.destination.port).toBe(81);
      expect(lastStep(mismatched.reachabilityDetails.traces[0]).drop.cause).toBe('FORWARDING_RULE_MISMATCH');
      const listed = await json<Json[]>('network-management connectivity-tests list');
      expect(listed.map((test) => test.displayName).sort()).toEqual([
        'allowed',
        'blocked',
        'policed',
        'policed-by-name',
        'source-range',
      ]);
      await must('network-management connectivity-tests delete blocked');
      const gone = await run('network-management connectivity-tests describe blocked');
      expect(gone.code).not.toBe(0);
      expect(gone.stderr).toContain('NOT_FOUND');
    }, 600_000);

    it('traces the internet through an Ingress: Cloud Armor denies, IAP refuses, a pod behind the NodePort answers', async () => {
      const scenario = gcloud.scenario();
      const { run, json, project } = scenario;
      const { must, kubectl, kubectlJson } = clients(scenario);

      await must('compute networks create vpc --subnet-mode=custom');
      await must(
        'compute networks subnets create nodes --network=vpc --region=us-central1 --range=10.0.0.0/24 ' +
          '--secondary-range=pods=10.4.0.0/14,services=10.8.0.0/20',
      );
      // No --enable-network-policy: the policy below exists but this cluster does not enforce it.
      await must(
        `container clusters create c2 --zone=${ZONE} --network=vpc --subnetwork=nodes --enable-ip-alias ` +
          '--cluster-secondary-range-name=pods --services-secondary-range-name=services --num-nodes=2',
      );
      await must(`container clusters get-credentials c2 --zone=${ZONE}`);
      await must('compute security-policies create edge');
      await must(
        'compute security-policies rules create 100 --security-policy=edge --action=deny-403 --src-ip-ranges=203.0.113.0/24',
      );
      const preview = await run(
        'compute security-policies rules create 200 --security-policy=edge --action=deny-404 --preview',
        { rest: ["--expression=request.path == '/'"] },
      );
      expect(preview.code, preview.stderr).toBe(0);
      await kubectl(['apply', '-f', '-'], INGRESS_MANIFEST);
      const ingressIp = async (name: string) =>
        eventually(async () => {
          const ingress = await kubectlJson('get', 'ingress', name);
          return ingress.status?.loadBalancer?.ingress?.[0]?.ip as string | undefined;
        }, `the address of Ingress ${name}`);
      const shopIp = await ingressIp('shop');
      const staffIp = await ingressIp('staff');
      const pods = (await kubectlJson('get', 'pods', '-l', 'app=shop')).items as Json[];
      await dataplaneConverged(gcloud.url(), project);

      const describe = (name: string) => json<Json>(`network-management connectivity-tests describe ${name}`);
      const create = async (name: string, flags: string) => {
        await must(`network-management connectivity-tests create ${name} ${flags} --protocol=TCP`);
        return describe(name);
      };
      const fromInternet = (source: string, ip: string) =>
        `--source-ip-address=${source} --source-network-type=non-gcp-network --destination-ip-address=${ip} --destination-port=80`;

      // Allowed: GET / through the URL map, Armor's default rule (the preview deny reported, not applied), the
      // proxy to a node's NodePort, kube-proxy to the pod. NetworkPolicy exists but is not enforced here.
      const allowed = await create('shop-allowed', fromInternet('198.51.100.7', shopIp));
      expect(allowed.reachabilityDetails.result).toBe('REACHABLE');
      const trace = allowed.reachabilityDetails.traces[0] as Json;
      const steps = trace.steps as Json[];
      expect(steps.map((step) => step.state).slice(0, 5)).toEqual([
        'START_FROM_INTERNET',
        'APPLY_FORWARDING_RULE',
        'ARRIVE_AT_EXTERNAL_LOAD_BALANCER',
        'APPLY_INGRESS_FIREWALL_RULE',
        'PROXY_CONNECTION',
      ]);
      expect(steps[2]?.http).toMatchObject({ request: { method: 'GET', path: '/', host: shopIp } });
      expect(steps[2]?.http.backendService).toMatch(/-default-shop-80-/);
      expect(steps[3]?.cloudArmor).toMatchObject({
        outcome: 'allow',
        matchedRule: { priority: 2147483647 },
        previewMatches: [{ priority: 200, action: 'deny(404)', preview: true }],
      });
      // The proxied connection comes from a Google Front End: GKE's L7 rule admits it to the NodePort range.
      expect(steps.find((step) => step.firewall)?.firewall.displayName).toMatch(/^k8s-fw-l7--/);
      expect(steps.find((step) => step.state === 'ARRIVE_AT_INSTANCE')).toBeDefined();
      expect(steps.find((step) => step.kubeProxy)?.kubeProxy.servicePort).toMatch(/^default\/shop:/);
      // Every path shows the policy, not enforced; the path through the node without the pod arrives masqueraded
      // to that node's address, which the policy would refuse.
      const policySteps = (allowed.reachabilityDetails.traces as Json[]).map((path) =>
        (path.steps as Json[]).find((step) => step.networkPolicy?.direction === 'ingress'),
      );
      for (const step of policySteps) {
        expect(step?.networkPolicy).toMatchObject({
          enforced: false,
          isolatingPolicies: ['default/shop-isolated'],
        });
        expect(step?.causesDrop).toBe(false);
      }
      expect(policySteps.some((step) => step?.networkPolicy.allowed === false)).toBe(true);
      expect(policySteps[0]?.description).toContain('not enforced');
      expect(lastStep(trace)).toMatchObject({
        state: 'DELIVER',
        pod: { namespace: 'default', name: pods[0]?.metadata.name },
      });

      // Armor-denied: rule 100 denies the source range with 403.
      const denied = await create('shop-denied', fromInternet('203.0.113.5', shopIp));
      expect(denied.reachabilityDetails.result).toBe('UNREACHABLE');
      const armorStep = deciding(denied.reachabilityDetails.traces[0]);
      expect(armorStep).toMatchObject({
        state: 'APPLY_INGRESS_FIREWALL_RULE',
        cloudArmor: {
          securityPolicy: `projects/${project}/global/securityPolicies/edge`,
          outcome: 'deny',
          status: 403,
          matchedRule: { priority: 100, action: 'deny(403)' },
        },
      });
      expect(lastStep(denied.reachabilityDetails.traces[0]).drop.cause).toBe(
        'DROPPED_INSIDE_GOOGLE_MANAGED_SERVICE',
      );

      // IAP-refused: the staff backend has IAP on and gcloud's test carries no identity.
      const refused = await create('staff-refused', fromInternet('198.51.100.7', staffIp));
      expect(refused.reachabilityDetails.result).toBe('UNREACHABLE');
      expect(deciding(refused.reachabilityDetails.traces[0])).toMatchObject({
        state: 'ANALYZE_LOAD_BALANCER_BACKEND',
        iap: { enabled: true, allowed: false },
      });

      // The emulator's httpRequest extension (REST): with an identity IAP lets the request through.
      const response = await fetch(
        `${gcloud.url()}/networkmanagement/v1/projects/${project}/locations/global/connectivityTests?testId=staff-signed-in`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            source: { ipAddress: '198.51.100.7', networkType: 'NON_GCP_NETWORK' },
            destination: { ipAddress: staffIp, port: 80 },
            protocol: 'TCP',
            httpRequest: {
              method: 'GET',
              host: 'staff.example.com',
              path: '/',
              identity: 'user:alice@example.com',
            },
          }),
        },
      );
      expect(response.status).toBe(200);
      const signedIn = await describe('staff-signed-in');
      expect(signedIn.httpRequest).toMatchObject({ identity: 'user:alice@example.com' });
      expect(signedIn.reachabilityDetails.result).toBe('REACHABLE');
      const badPath = await fetch(
        `${gcloud.url()}/networkmanagement/v1/projects/${project}/locations/global/connectivityTests?testId=bad-http`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            source: { ipAddress: '198.51.100.7' },
            destination: { ipAddress: staffIp, port: 80 },
            httpRequest: { path: 'no-slash' },
          }),
        },
      );
      expect(badPath.status).toBe(400);
      expect(JSON.stringify(await badPath.json())).toContain('httpRequest.path');
    }, 600_000);

    it('refuses bad input with the field, and aborts what it cannot place', async () => {
      const { run, json, project } = gcloud.scenario();
      const bad = await run(
        'network-management connectivity-tests create bad --source-ip-address=10.0.0.300 ' +
          '--destination-ip-address=10.0.0.1 --destination-port=80',
      );
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('source.ipAddress');
      const created = await run(
        `network-management connectivity-tests create ghost --source-instance=projects/${project}/zones/us-central1-a/instances/ghost ` +
          '--destination-ip-address=10.0.0.1 --destination-port=80',
      );
      expect(created.code, created.stderr).toBe(0);
      const ghost = await json<Json>('network-management connectivity-tests describe ghost');
      expect(ghost.reachabilityDetails.result).toBe('UNDETERMINED');
      expect(lastStep(ghost.reachabilityDetails.traces[0])).toMatchObject({
        state: 'ABORT',
        abort: { cause: 'SOURCE_ENDPOINT_NOT_FOUND' },
      });
      const duplicate = await run(
        'network-management connectivity-tests create ghost --source-ip-address=1.2.3.4 --destination-ip-address=10.0.0.1 --destination-port=80',
      );
      expect(duplicate.code).not.toBe(0);
      expect(duplicate.stderr).toContain('ALREADY_EXISTS');
    });
  },
);
