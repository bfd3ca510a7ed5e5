import { randomInt } from 'node:crypto';
import type { ClusterRecord } from '@gke-emulator/container';
import { field, type KubeObject, rfc3339, stringField } from '../api/kube-object';
import { kindByResource } from '../api/resources';
import { type AdmissionWriter, admissionWriter } from '../store/admission';
import type { KubeStore } from '../store/kube-store';

const EVENTS = kindByResource('events');

/** What a controller reports about an object. */
export interface EventReport {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** the reporting controller: `service-controller`, `deployment-controller`, `default-scheduler` … */
  component: string;
  /**
   * Reported through events.k8s.io/v1 (the scheduler's recorder): `eventTime`, `action` and `reportingController`
   * are set and the legacy `source` and timestamps are not; otherwise through core/v1's recorder.
   */
  action?: string;
}

/** The object an event is about, as `involvedObject` names it. */
export function objectReference(object: KubeObject) {
  return {
    kind: object.kind,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    name: object.metadata.name,
    uid: object.metadata.uid,
    apiVersion: object.apiVersion,
    resourceVersion: object.metadata.resourceVersion,
  };
}

/** MicroTime, as events.k8s.io's `eventTime` marshals it. */
function microTime(now: Date): string {
  return now.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * A new Event as client-go's recorders write it: named `<object>.<unix nanoseconds in hex>`, in the object's
 * namespace (`default` for cluster-scoped objects).
 */
export function newEvent(object: KubeObject, report: EventReport, now: Date, subMillis: number): KubeObject {
  const nanos = BigInt(now.getTime()) * 1_000_000n + BigInt(subMillis);
  const common = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${String(object.metadata.name)}.${nanos.toString(16)}`,
      namespace: object.metadata.namespace ?? 'default',
    },
    involvedObject: objectReference(object),
    reason: report.reason,
    message: report.message,
    type: report.type,
  };
  if (report.action) {
    return {
      ...common,
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      eventTime: microTime(now),
      action: report.action,
      reportingComponent: report.component,
      reportingInstance: report.component,
    };
  }
  const at = rfc3339(now);
  return {
    ...common,
    source: { component: report.component },
    firstTimestamp: at,
    lastTimestamp: at,
    count: 1,
    eventTime: null,
    reportingComponent: report.component,
    reportingInstance: '',
  };
}

/** Whether a stored event is the same report about the same object (client-go's correlator aggregates them). */
export function sameReport(event: KubeObject, object: KubeObject, report: EventReport): boolean {
  return (
    stringField(event, 'involvedObject', 'uid') === object.metadata.uid &&
    event['reason'] === report.reason &&
    event['message'] === report.message &&
    event['type'] === report.type &&
    (stringField(event, 'source', 'component') ?? stringField(event, 'reportingComponent')) ===
      report.component
  );
}

/**
 * Records an event about `object` in the caller's transaction. A report already recorded about the object (the
 * same reason, message, type and component) counts up on its event (`count`, `lastTimestamp`) instead, as
 * client-go's event correlator does.
 */
export async function recordEvent(
  objects: Pick<AdmissionWriter, 'list' | 'create' | 'update'>,
  object: KubeObject,
  report: EventReport,
  now = new Date(),
): Promise<void> {
  const namespace = object.metadata.namespace ?? 'default';
  if (!report.action) {
    const [previous] = await objects.list(EVENTS, {
      namespace,
      filter: (event) => sameReport(event, object, report),
    });
    if (previous) {
      const count = Number(field(previous, 'count') ?? 1) + 1;
      await objects.update(EVENTS, {
        ...previous,
        involvedObject: objectReference(object),
        count,
        lastTimestamp: rfc3339(now),
      });
      return;
    }
  }
  await objects.create(EVENTS, newEvent(object, report, now, randomInt(1_000_000)));
}

/** Records an event in a transaction of its own (controllers that run after the write, such as the L4 one). */
export async function recordEventNow(
  store: KubeStore,
  cluster: ClusterRecord,
  object: KubeObject,
  report: EventReport,
): Promise<void> {
  await store.transaction((sql) => recordEvent(admissionWriter(store, sql, cluster), object, report));
}
