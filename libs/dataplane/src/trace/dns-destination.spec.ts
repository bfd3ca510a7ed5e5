import { describe, expect, it } from 'vitest';
import type { NetworkPolicy } from '../netpol';
import { CLUSTER, PODS, clusterInputs } from './connectivity-cluster.fixture';
import { composeReachability } from './connectivity.composer';
import { composeReachabilityToName, composeWithoutSourcePod, dnsSourcePod } from './dns-destination';
import type { TraceQuery } from './trace-inputs.types';

const fromClient: TraceQuery = {
  source: { ipAddress: '10.4.0.7' },
  destination: { port: 8080 },
  protocol: 'TCP',
};
const [WEB1, WEB2] = PODS;
const denyWeb2: NetworkPolicy = {
  metadata: { name: 'deny-web-2', namespace: 'default' },
  spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] },
};

describe('dnsSourcePod', () => {
  it('finds the pod by its address, in any cluster or in the one named', () => {
    const inputs = clusterInputs();
    const client = { cluster: CLUSTER, namespace: 'default', name: 'client' };
    expect(dnsSourcePod(inputs, '10.4.0.7')).toEqual(client);
    expect(dnsSourcePod(inputs, '10.4.0.7', `https://container.googleapis.com/v1/${CLUSTER}`)).toEqual(
      client,
    );
    expect(
      dnsSourcePod(inputs, '10.4.0.7', 'projects/p/locations/us-central1-a/clusters/other'),
    ).toBeUndefined();
    expect(dnsSourcePod(inputs, '10.128.0.2')).toBeUndefined();
  });
});

describe('composeReachabilityToName', () => {
  it('one address: the same trace as that IP destination', () => {
    const inputs = clusterInputs();
    const byName = composeReachabilityToName(inputs, fromClient, {
      name: 'web-1.default',
      from: 'default/client',
      addresses: [WEB1?.ip ?? ''],
    });
    const byIp = composeReachability(inputs, {
      ...fromClient,
      destination: { ipAddress: WEB1?.ip ?? '', port: 8080 },
    });
    expect(byName).toEqual(byIp);
    expect(byName.result).toBe('REACHABLE');
    expect(byName.traces[0]?.endpointInfo.destinationIp).toBe(WEB1?.ip);
  });

  it('no address: UNDETERMINED, an ABORT step saying the name did not resolve from the pod', () => {
    const details = composeReachabilityToName(clusterInputs(), fromClient, {
      name: 'nope.default',
      from: 'default/client',
      addresses: [],
    });
    expect(details.result).toBe('UNDETERMINED');
    expect(details.traces).toHaveLength(1);
    const [step] = details.traces[0]?.steps ?? [];
    expect(step?.state).toBe('ABORT');
    expect(step?.abort?.cause).toBe('DESTINATION_ENDPOINT_NOT_FOUND');
    expect(step?.description).toContain('nope.default does not resolve from pod default/client');
    expect(details.traces[0]?.endpointInfo).toEqual({
      sourceIp: '10.4.0.7',
      protocol: 'TCP',
      destinationPort: 8080,
    });
  });

  it('several addresses (a headless Service): a trace per address, each with its share of the picks', () => {
    const details = composeReachabilityToName(clusterInputs(), fromClient, {
      name: 'web.default.svc.cluster.local',
      from: 'default/client',
      addresses: [WEB1?.ip ?? '', WEB2?.ip ?? ''],
    });
    expect(details.result).toBe('REACHABLE');
    expect(details.traces.map((trace) => trace.endpointInfo.destinationIp)).toEqual([WEB1?.ip, WEB2?.ip]);
    expect(details.traces.map((trace) => trace.probability)).toEqual([0.5, 0.5]);
  });

  it('several addresses, some reached and some dropped: AMBIGUOUS, each trace with its own verdict', () => {
    // Only web-2 is isolated by the policy (web-1's labels are changed so that it does not select it).
    const inputs = clusterInputs({
      networkPolicyEnforced: true,
      policies: [denyWeb2],
      pods: PODS.map((pod) => (pod.name === 'web-1' ? { ...pod, labels: { app: 'other' } } : pod)),
    });
    const details = composeReachabilityToName(inputs, fromClient, {
      name: 'web.default.svc.cluster.local',
      from: 'default/client',
      addresses: [WEB1?.ip ?? '', WEB2?.ip ?? ''],
    });
    expect(details.result).toBe('AMBIGUOUS');
    const finals = details.traces.map((trace) => trace.steps[trace.steps.length - 1]?.state);
    expect(finals).toEqual(['DELIVER', 'DROP']);
  });

  it('several addresses, none reached: UNREACHABLE', () => {
    const inputs = clusterInputs({
      networkPolicyEnforced: true,
      policies: [denyWeb2],
    });
    const details = composeReachabilityToName(inputs, fromClient, {
      name: 'web.default.svc.cluster.local',
      from: 'default/client',
      addresses: [WEB1?.ip ?? '', WEB2?.ip ?? '', WEB1?.ip ?? ''],
    });
    expect(details.result).toBe('UNREACHABLE');
    expect(details.traces).toHaveLength(2);
  });
});

describe('composeReachabilityToName: why a name did not resolve', () => {
  it('names the reason the caller gives (a pod that does not ask kube-dns)', () => {
    const details = composeReachabilityToName(clusterInputs(), fromClient, {
      name: 'web.default',
      from: 'kube-system/kube-dns-1',
      addresses: [],
      detail: "the pod's dnsPolicy is Default: it asks its node's resolver, not kube-dns",
    });
    expect(details.traces[0]?.steps[0]?.description).toBe(
      "Aborted: web.default does not resolve from pod kube-system/kube-dns-1: the pod's dnsPolicy is Default: it asks its node's resolver, not kube-dns.",
    );
  });
});

describe('composeWithoutSourcePod', () => {
  it('UNDETERMINED, NO_SOURCE_LOCATION naming the address and the cluster', () => {
    const details = composeWithoutSourcePod(
      clusterInputs(),
      {
        ...fromClient,
        source: { ipAddress: '10.4.9.9' },
        destination: { port: 80, gkeMasterCluster: CLUSTER },
      },
      'web',
    );
    expect(details.result).toBe('UNDETERMINED');
    expect(details.traces[0]?.steps[0]).toMatchObject({
      state: 'ABORT',
      abort: { cause: 'NO_SOURCE_LOCATION', ipAddress: '10.4.9.9' },
      description: `Aborted: web is resolved from the source pod, and no pod has the address 10.4.9.9 in ${CLUSTER}.`,
    });
  });
});
