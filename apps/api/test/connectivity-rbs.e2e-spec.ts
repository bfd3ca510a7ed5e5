import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  createTestGkeCluster,
  dataplaneConverged,
  eventually,
  useTestApp,
  useTestWorker,
} from '@gke-emulator/testing';
import { createWebDeployment } from './support/kube-workloads';

const app = useTestApp();
useTestWorker();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects read loosely in assertions
type Json = Record<string, any>;

describe('Connectivity Tests through a backend service-based external load balancer (RBS)', () => {
  it('follow the forwarding rule to the regional backend service and its instance groups’ nodes, to the pods', async () => {
    const { project, kube } = await createTestGkeCluster(app.url, { prefix: 'rbs', nodes: 2 });
    await createWebDeployment(app.url, kube);
    await request(app.url)
      .post(`${kube}/api/v1/namespaces/default/services`)
      .send({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', annotations: { 'cloud.google.com/l4-rbs': 'enabled' } },
        spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
      })
      .expect(201);
    const service = await eventually(async () => {
      const res = await request(app.url).get(`${kube}/api/v1/namespaces/default/services/web`).expect(200);
      return res.body.status?.loadBalancer?.ingress?.[0]?.ip ? (res.body as Json) : undefined;
    }, 'the load balancer IP');
    const ip = service.status.loadBalancer.ingress[0].ip as string;
    const backendName = service.metadata.annotations['service.kubernetes.io/backend-service'] as string;
    const hcName = service.metadata.annotations['service.kubernetes.io/healthcheck'] as string;
    await dataplaneConverged(app.url, project);

    // GraphQL's view of the Service's load balancer names the backend service.
    const graphql = await request(app.url)
      .post('/graphql')
      .send({
        query: `query ($project: String!) {
          cluster(project: $project, location: "us-central1-a", name: "c1") {
            kubernetes { service(namespace: "default", name: "web") {
              loadBalancer { scheme backendCollection forwardingRule { loadBalancingScheme target backendService } }
            } }
          }
        }`,
        variables: { project },
      })
      .expect(200);
    expect(graphql.body.errors).toBeUndefined();
    expect(graphql.body.data.cluster.kubernetes.service.loadBalancer).toEqual({
      scheme: 'EXTERNAL',
      backendCollection: 'backendServices',
      forwardingRule: { loadBalancingScheme: 'EXTERNAL', target: null, backendService: backendName },
    });

    const test = (
      await request(app.url)
        .post(`/networkmanagement/v1/projects/${project}/locations/global/connectivityTests`)
        .query({ testId: 'to-rbs' })
        .send({
          source: { ipAddress: '203.0.113.5' },
          destination: { ipAddress: ip, port: 80 },
          protocol: 'TCP',
        })
        .expect(200)
    ).body as Json;
    const details = test.response.reachabilityDetails as Json;
    expect(details.result).toBe('REACHABLE');
    const steps = details.traces[0].steps as Json[];
    expect(steps.slice(0, 3).map((step) => step.state)).toEqual([
      'START_FROM_INTERNET',
      'APPLY_FORWARDING_RULE',
      'ARRIVE_AT_EXTERNAL_LOAD_BALANCER',
    ]);
    expect(steps[1]?.forwardingRule.target).toBe(
      `projects/${project}/regions/us-central1/backendServices/${backendName}`,
    );
    expect(steps[2]?.loadBalancer).toMatchObject({
      loadBalancerType: 'NETWORK_TCP_UDP',
      backendType: 'BACKEND_SERVICE',
      backendUri: `projects/${project}/regions/us-central1/backendServices/${backendName}`,
      healthCheckUri: `projects/${project}/regions/us-central1/healthChecks/${hcName}`,
    });
    // The cluster's two nodes, through its k8s-ig-- group; kube-proxy's port answers the shared check on both.
    const backends = steps[2]?.loadBalancer.backends as Json[];
    expect(backends).toHaveLength(2);
    expect(backends.every((backend) => backend.healthState === 'HEALTHY')).toBe(true);
    for (const trace of details.traces as Json[]) expect(trace.steps.at(-1).state).toBe('DELIVER');
  });
});
