import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/kube-object';
import { newEvent, sameReport } from './events';
import {
  maxSurge,
  ownedReplicaSet,
  replicaSetFor,
  replicaSetStatus,
  revisionOf,
  scalingMessage,
  surplusHistory,
} from './replica-sets';
import { replicaSetUid } from './workloads';

const deployment = (spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'd-uid', resourceVersion: '7' },
  spec: {
    replicas: 4,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    ...spec,
  },
});

const readyPod = (ready: boolean, labels: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', labels },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('the Deployment controller`s ReplicaSets', () => {
  it('names the ReplicaSet after the template hash, owned by the Deployment, with the uid its pods name', () => {
    const { object, uid } = replicaSetFor(deployment(), 'h4sh', 4, 3);
    expect(uid).toBe(replicaSetUid('d-uid', 'h4sh'));
    expect(object.metadata).toMatchObject({
      name: 'web-h4sh',
      namespace: 'default',
      labels: { app: 'web', 'pod-template-hash': 'h4sh' },
      annotations: {
        'deployment.kubernetes.io/desired-replicas': '4',
        'deployment.kubernetes.io/max-replicas': '5',
        'deployment.kubernetes.io/revision': '3',
      },
      ownerReferences: [
        { kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true, blockOwnerDeletion: true },
      ],
    });
    expect(object['spec']).toMatchObject({
      replicas: 4,
      selector: { matchLabels: { app: 'web', 'pod-template-hash': 'h4sh' } },
      template: { metadata: { labels: { app: 'web', 'pod-template-hash': 'h4sh' } } },
    });
    expect(ownedReplicaSet(object, deployment())).toBe(true);
    expect(ownedReplicaSet(object, { ...deployment(), metadata: { name: 'web', uid: 'other' } })).toBe(false);
    expect(revisionOf(object)).toBe(3);
  });

  it.each([
    [{}, 10, 3],
    [{ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2 } } }, 10, 2],
    [{ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '10%' } } }, 15, 2],
    [{ strategy: { type: 'Recreate' } }, 10, 0],
  ])('resolves maxSurge %j of %i replicas to %i', (spec, replicas, surge) => {
    expect(maxSurge(deployment(spec), replicas)).toBe(surge);
  });

  it('counts the pods of a ReplicaSet: replicas, fully labeled, ready and available', () => {
    const { object } = replicaSetFor(deployment(), 'h', 3, 1);
    const labels = { app: 'web', 'pod-template-hash': 'h' };
    expect(
      replicaSetStatus({ ...object, metadata: { ...object.metadata, generation: 2 } }, [
        readyPod(true, labels),
        readyPod(false, labels),
        readyPod(true, { app: 'web' }),
      ]),
    ).toEqual({
      replicas: 3,
      fullyLabeledReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      observedGeneration: 2,
    });
    expect(replicaSetStatus(object, [])).toEqual({ replicas: 0, observedGeneration: 1 });
  });

  it('keeps revisionHistoryLimit idle old ReplicaSets, deleting the oldest revisions', () => {
    const old = [1, 2, 3, 4].map(
      (revision) => replicaSetFor(deployment(), `h${revision}`, 0, revision).object,
    );
    const busy = replicaSetFor(deployment(), 'busy', 2, 0).object;
    const names = (list: KubeObject[]) => list.map((rs) => rs.metadata.name);
    expect(names(surplusHistory(deployment({ revisionHistoryLimit: 2 }), [...old, busy]))).toEqual([
      'web-h1',
      'web-h2',
    ]);
    expect(surplusHistory(deployment(), old)).toEqual([]);
    expect(names(surplusHistory(deployment({ revisionHistoryLimit: 0 }), old))).toHaveLength(4);
  });

  it.each([
    ['web-a', 0, 3, 'Scaled up replica set web-a from 0 to 3'],
    ['web-a', 3, 1, 'Scaled down replica set web-a from 3 to 1'],
  ])('says %s %i → %i as the controller does', (name, from, to, message) => {
    expect(scalingMessage(name, from, to)).toBe(message);
  });
});

describe('events as client-go`s recorders write them', () => {
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop', uid: 's-uid', resourceVersion: '12' },
  };
  const now = new Date('2026-12-07T07:00:00.123Z');

  it('writes a core/v1 event: source, timestamps, count, named <object>.<nanoseconds in hex>', () => {
    const report = {
      type: 'Normal' as const,
      reason: 'EnsuringLoadBalancer',
      message: 'Ensuring load balancer',
      component: 'service-controller',
    };
    const event = newEvent(service, report, now, 456789);
    expect(event).toEqual({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `web.${(BigInt(now.getTime()) * 1_000_000n + 456789n).toString(16)}`,
        namespace: 'shop',
      },
      involvedObject: {
        kind: 'Service',
        namespace: 'shop',
        name: 'web',
        uid: 's-uid',
        apiVersion: 'v1',
        resourceVersion: '12',
      },
      reason: 'EnsuringLoadBalancer',
      message: 'Ensuring load balancer',
      type: 'Normal',
      source: { component: 'service-controller' },
      firstTimestamp: '2026-12-07T07:00:00Z',
      lastTimestamp: '2026-12-07T07:00:00Z',
      count: 1,
      eventTime: null,
      reportingComponent: 'service-controller',
      reportingInstance: '',
    });
    expect(sameReport(event, service, report)).toBe(true);
    expect(sameReport(event, service, { ...report, message: 'other' })).toBe(false);
    expect(sameReport(event, { ...service, metadata: { ...service.metadata, uid: 'x' } }, report)).toBe(
      false,
    );
  });

  it('writes an events.k8s.io/v1 event (the scheduler`s): eventTime, action, reporting controller, no legacy source', () => {
    const event = newEvent(
      { ...service, kind: 'Pod' },
      {
        type: 'Warning',
        reason: 'FailedScheduling',
        message: 'm',
        component: 'default-scheduler',
        action: 'Scheduling',
      },
      now,
      0,
    );
    expect(event).toMatchObject({
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      eventTime: '2026-12-07T07:00:00.123000Z',
      action: 'Scheduling',
      reportingComponent: 'default-scheduler',
      reportingInstance: 'default-scheduler',
    });
    expect(event).not.toHaveProperty('count');
  });
});
