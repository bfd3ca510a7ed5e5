import { describe, expect, it } from 'vitest';
import type { KubeObject } from './kube-object';
import {
  eventFieldsToV1,
  eventFieldsV1ToCore,
  eventFromV1,
  eventToV1,
  fieldSelectorFromV1,
  validateEventV1Create,
} from './events-v1';

const coreEvent: KubeObject = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web.17f', namespace: 'default', uid: 'u1', resourceVersion: '7' },
  involvedObject: { kind: 'Service', namespace: 'default', name: 'web', uid: 's1', apiVersion: 'v1' },
  reason: 'EnsuringLoadBalancer',
  message: 'Ensuring load balancer',
  type: 'Normal',
  source: { component: 'service-controller' },
  firstTimestamp: '2026-12-07T10:00:00Z',
  lastTimestamp: '2026-12-07T10:00:05Z',
  count: 2,
  eventTime: null,
  reportingComponent: 'service-controller',
  reportingInstance: '',
};

describe('events.k8s.io/v1 ↔ core/v1 Event (the API server conversion)', () => {
  it('renames message→note, involvedObject→regarding, source/timestamps/count→deprecated*, reportingComponent→reportingController', () => {
    expect(eventToV1(coreEvent)).toEqual({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: coreEvent.metadata,
      eventTime: null,
      reason: 'EnsuringLoadBalancer',
      type: 'Normal',
      note: 'Ensuring load balancer',
      regarding: coreEvent['involvedObject'],
      reportingController: 'service-controller',
      deprecatedSource: { component: 'service-controller' },
      deprecatedFirstTimestamp: '2026-12-07T10:00:00Z',
      deprecatedLastTimestamp: '2026-12-07T10:00:05Z',
      deprecatedCount: 2,
    });
  });

  it('omits empty fields but eventTime (null) and deprecatedSource ({}), as Go serialises them', () => {
    const scheduler: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'p.1', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'p' },
      reason: 'FailedScheduling',
      message: '0/1 nodes are available',
      type: 'Warning',
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      eventTime: '2026-12-07T10:00:00.000000Z',
      action: 'Scheduling',
      reportingComponent: 'default-scheduler',
      reportingInstance: 'default-scheduler-x',
      series: { count: 3, lastObservedTime: '2026-12-07T10:01:00.000000Z' },
    };
    const v1 = eventToV1(scheduler);
    expect(v1['deprecatedSource']).toEqual({});
    expect(v1).not.toHaveProperty('deprecatedFirstTimestamp');
    expect(v1).not.toHaveProperty('deprecatedCount');
    expect(v1['series']).toEqual(scheduler['series']);
    expect(v1['action']).toBe('Scheduling');
    expect(v1['reportingInstance']).toBe('default-scheduler-x');
  });

  it('converts a v1 body to core names and round-trips', () => {
    const v1 = eventToV1(coreEvent);
    const { object, unknownFields } = eventFromV1(v1);
    expect(unknownFields).toEqual([]);
    expect(object).toMatchObject({
      apiVersion: 'v1',
      message: 'Ensuring load balancer',
      involvedObject: coreEvent['involvedObject'],
      reportingComponent: 'service-controller',
      source: { component: 'service-controller' },
      count: 2,
    });
    expect(object).not.toHaveProperty('note');
    expect(object).not.toHaveProperty('regarding');
  });

  it("reports core/v1's own names sent to events.k8s.io as unknown fields", () => {
    const { object, unknownFields } = eventFromV1({ message: 'x', involvedObject: {}, note: 'y' });
    expect(unknownFields).toEqual(['message', 'involvedObject']);
    expect(object['message']).toBe('y');
  });

  it('validates a create as the API server does for events.k8s.io/v1', () => {
    expect(validateEventV1Create({})).toEqual([
      expect.objectContaining({ field: 'eventTime', reason: 'FieldValueRequired' }),
      expect.objectContaining({ field: 'type', message: 'Invalid value: "": has invalid value: ' }),
      expect.objectContaining({ field: 'reportingController', reason: 'FieldValueRequired' }),
      expect.objectContaining({ field: 'reportingInstance', reason: 'FieldValueRequired' }),
      expect.objectContaining({ field: 'action', reason: 'FieldValueRequired' }),
      expect.objectContaining({ field: 'reason', reason: 'FieldValueRequired' }),
    ]);
    const good = {
      eventTime: '2026-12-07T10:00:00.000000Z',
      type: 'Normal',
      reportingController: 'example.com/ctl',
      reportingInstance: 'ctl-1',
      action: 'Sync',
      reason: 'Synced',
      note: 'ok',
    };
    expect(validateEventV1Create(good)).toEqual([]);
    expect(validateEventV1Create({ ...good, deprecatedCount: 1, note: 'x'.repeat(1025) })).toEqual([
      expect.objectContaining({ field: 'deprecatedCount', message: 'Invalid value: "": needs to be unset' }),
      expect.objectContaining({
        field: 'note',
        message: 'Invalid value: "": can have at most 1024 characters',
      }),
    ]);
  });

  it('maps field selector labels to core names', () => {
    expect(fieldSelectorFromV1('regarding.name=web,reportingController!=x,type=Warning')).toBe(
      'involvedObject.name=web,reportingComponent!=x,type=Warning',
    );
    expect(fieldSelectorFromV1(undefined)).toBeUndefined();
  });

  it('renames a core Event to events.k8s.io/v1 names without defaulting or omitting anything', () => {
    expect(
      eventFieldsToV1({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'e' },
        message: 'hi',
        involvedObject: { kind: 'Pod' },
        count: 0,
        action: 'A',
      }),
    ).toEqual({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e' },
      note: 'hi',
      regarding: { kind: 'Pod' },
      deprecatedCount: 0,
      action: 'A',
    });
  });

  it('reads managed fields of events.k8s.io/v1 in core names (top-level fields only)', () => {
    expect(
      eventFieldsV1ToCore({
        'f:note': {},
        'f:regarding': { 'f:name': {} },
        'f:reportingController': {},
        'f:action': {},
        'f:metadata': { 'f:labels': { 'f:note': {} } },
      }),
    ).toEqual({
      'f:message': {},
      'f:involvedObject': { 'f:name': {} },
      'f:reportingComponent': {},
      'f:action': {},
      'f:metadata': { 'f:labels': { 'f:note': {} } },
    });
  });
});
