import { type KubeObject, stringField } from '../api/kube-object';
import type { ResourceKind } from '../api/resources';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from '../api/selectors';

/** The fields each kind can be selected by (the API server's field label conversions). */
const FIELDS: Record<string, (object: KubeObject) => Record<string, string>> = {
  pods: (pod) => ({
    'spec.nodeName': stringField(pod, 'spec', 'nodeName') ?? '',
    'spec.restartPolicy': stringField(pod, 'spec', 'restartPolicy') ?? '',
    'spec.schedulerName': stringField(pod, 'spec', 'schedulerName') ?? '',
    'spec.serviceAccountName': stringField(pod, 'spec', 'serviceAccountName') ?? '',
    'spec.hostNetwork': String((pod['spec'] as { hostNetwork?: boolean } | undefined)?.hostNetwork ?? false),
    'status.phase': stringField(pod, 'status', 'phase') ?? '',
    'status.podIP': stringField(pod, 'status', 'podIP') ?? '',
    'status.nominatedNodeName': stringField(pod, 'status', 'nominatedNodeName') ?? '',
  }),
  services: (svc) => ({
    'spec.clusterIP': stringField(svc, 'spec', 'clusterIP') ?? '',
    'spec.type': stringField(svc, 'spec', 'type') ?? '',
  }),
  namespaces: (ns) => ({ 'status.phase': stringField(ns, 'status', 'phase') ?? '' }),
  nodes: (node) => ({
    'spec.unschedulable': String(
      (node['spec'] as { unschedulable?: boolean } | undefined)?.unschedulable ?? false,
    ),
  }),
  events: (ev) => ({
    'involvedObject.kind': stringField(ev, 'involvedObject', 'kind') ?? '',
    'involvedObject.namespace': stringField(ev, 'involvedObject', 'namespace') ?? '',
    'involvedObject.name': stringField(ev, 'involvedObject', 'name') ?? '',
    'involvedObject.uid': stringField(ev, 'involvedObject', 'uid') ?? '',
    'involvedObject.apiVersion': stringField(ev, 'involvedObject', 'apiVersion') ?? '',
    'involvedObject.resourceVersion': stringField(ev, 'involvedObject', 'resourceVersion') ?? '',
    'involvedObject.fieldPath': stringField(ev, 'involvedObject', 'fieldPath') ?? '',
    reason: stringField(ev, 'reason') ?? '',
    reportingComponent: stringField(ev, 'reportingComponent') ?? '',
    source: stringField(ev, 'source', 'component') ?? '',
    type: stringField(ev, 'type') ?? '',
  }),
  endpointslices: (slice) => ({ addressType: stringField(slice, 'addressType') ?? '' }),
};

function probeFields(kind: ResourceKind): string[] {
  const fields = FIELDS[kind.resource];
  return [
    'metadata.name',
    'metadata.namespace',
    ...(fields ? Object.keys(fields({ apiVersion: '', kind: '', metadata: {} })) : []),
  ];
}

/** Parses the selectors of a list or watch (400 when they do not parse) into one predicate over objects. */
export function objectFilter(
  kind: ResourceKind,
  labelSelector: string | undefined,
  fieldSelector: string | undefined,
): (object: KubeObject) => boolean {
  const labels = labelSelector ? parseLabelSelector(labelSelector) : [];
  const fields = fieldSelector ? parseFieldSelector(fieldSelector, probeFields(kind)) : [];
  if (labels.length === 0 && fields.length === 0) return () => true;
  const fieldsOf = FIELDS[kind.resource];
  return (object) =>
    matchesLabels(labels, object.metadata.labels) &&
    matchesFields(fields, {
      'metadata.name': object.metadata.name ?? '',
      'metadata.namespace': object.metadata.namespace ?? '',
      ...(fieldsOf ? fieldsOf(object) : {}),
    });
}
