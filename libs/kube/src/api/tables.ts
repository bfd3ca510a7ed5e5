import { humanDuration } from './human-duration';
import { field, type KubeObject, listField, numberField, type ObjectMeta, stringField } from './kube-object';
import { formatLabelSelector, type LabelSelectorObject } from './selectors';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  object: { kind: 'PartialObjectMetadata'; apiVersion: 'meta.k8s.io/v1'; metadata: ObjectMeta };
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

interface Printer {
  columns: [name: string, priority?: number, type?: string][];
  cells(object: KubeObject, now: number): unknown[];
}

function age(object: KubeObject, now: number): string {
  const created = object.metadata.creationTimestamp;
  return created ? humanDuration(now - Date.parse(created)) : '<unknown>';
}

function orNone(value: string | undefined): string {
  return value ? value : '<none>';
}

function podStatusText(pod: KubeObject): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  const reason = stringField(pod, 'status', 'reason');
  let status = reason ?? stringField(pod, 'status', 'phase') ?? 'Pending';
  for (const container of listField(pod, 'status', 'containerStatuses')) {
    const waiting = stringField(container, 'state', 'waiting', 'reason');
    const terminated = stringField(container, 'state', 'terminated', 'reason');
    if (waiting) status = waiting;
    else if (terminated) status = terminated;
  }
  return status;
}

const PRINTERS: Record<string, Printer> = {
  namespaces: {
    columns: [['Name'], ['Status'], ['Age']],
    cells: (ns, now) => [ns.metadata.name, stringField(ns, 'status', 'phase') ?? 'Active', age(ns, now)],
  },
  nodes: {
    columns: [
      ['Name'],
      ['Status'],
      ['Roles'],
      ['Age'],
      ['Version'],
      ['Internal-IP', 1],
      ['External-IP', 1],
      ['OS-Image', 1],
      ['Kernel-Version', 1],
      ['Container-Runtime', 1],
    ],
    cells: (node, now) => {
      const ready = listField(node, 'status', 'conditions').find((c) => stringField(c, 'type') === 'Ready');
      const address = (type: string) =>
        stringField(
          listField(node, 'status', 'addresses').find((a) => stringField(a, 'type') === type),
          'address',
        );
      let status = stringField(ready, 'status') === 'True' ? 'Ready' : 'NotReady';
      if (field(node, 'spec', 'unschedulable') === true) status += ',SchedulingDisabled';
      return [
        node.metadata.name,
        status,
        '<none>',
        age(node, now),
        stringField(node, 'status', 'nodeInfo', 'kubeletVersion') ?? '',
        orNone(address('InternalIP')),
        orNone(address('ExternalIP')),
        stringField(node, 'status', 'nodeInfo', 'osImage') ?? '',
        stringField(node, 'status', 'nodeInfo', 'kernelVersion') ?? '',
        stringField(node, 'status', 'nodeInfo', 'containerRuntimeVersion') ?? '',
      ];
    },
  },
  pods: {
    columns: [
      ['Name'],
      ['Ready'],
      ['Status'],
      ['Restarts', 0, 'string'],
      ['Age'],
      ['IP', 1],
      ['Node', 1],
      ['Nominated Node', 1],
      ['Readiness Gates', 1],
    ],
    cells: (pod, now) => {
      const statuses = listField(pod, 'status', 'containerStatuses');
      const ready = statuses.filter((s) => field(s, 'ready') === true).length;
      const restarts = statuses.reduce<number>((sum, s) => sum + (numberField(s, 'restartCount') ?? 0), 0);
      const gates = listField(pod, 'spec', 'readinessGates');
      const conditions = listField(pod, 'status', 'conditions');
      const gatesReady = gates.filter((gate) =>
        conditions.some(
          (c) =>
            stringField(c, 'type') === stringField(gate, 'conditionType') &&
            stringField(c, 'status') === 'True',
        ),
      ).length;
      return [
        pod.metadata.name,
        `${ready}/${listField(pod, 'spec', 'containers').length}`,
        podStatusText(pod),
        restarts,
        age(pod, now),
        orNone(stringField(pod, 'status', 'podIP')),
        orNone(stringField(pod, 'spec', 'nodeName')),
        orNone(stringField(pod, 'status', 'nominatedNodeName')),
        gates.length === 0 ? '<none>' : `${gatesReady}/${gates.length}`,
      ];
    },
  },
  services: {
    columns: [['Name'], ['Type'], ['Cluster-IP'], ['External-IP'], ['Port(s)'], ['Age'], ['Selector', 1]],
    cells: (svc, now) => {
      const type = stringField(svc, 'spec', 'type') ?? 'ClusterIP';
      const externalIps = listField(svc, 'spec', 'externalIPs').map(String);
      const lbIps = listField(svc, 'status', 'loadBalancer', 'ingress').map(
        (i) => stringField(i, 'ip') ?? stringField(i, 'hostname') ?? '',
      );
      let external = externalIps.length ? externalIps.join(',') : '<none>';
      if (type === 'LoadBalancer') external = [...lbIps, ...externalIps].join(',') || '<pending>';
      if (type === 'ExternalName') external = stringField(svc, 'spec', 'externalName') ?? '<none>';
      const ports = listField(svc, 'spec', 'ports').map((p) => {
        const nodePort = numberField(p, 'nodePort');
        return `${numberField(p, 'port')}${nodePort ? `:${nodePort}` : ''}/${stringField(p, 'protocol') ?? 'TCP'}`;
      });
      const selector = field(svc, 'spec', 'selector') as Record<string, string> | undefined;
      return [
        svc.metadata.name,
        type,
        orNone(stringField(svc, 'spec', 'clusterIP')),
        external,
        ports.length ? ports.join(',') : '<none>',
        age(svc, now),
        selector && Object.keys(selector).length
          ? Object.keys(selector)
              .sort()
              .map((k) => `${k}=${selector[k]}`)
              .join(',')
          : '<none>',
      ];
    },
  },
  events: {
    columns: [['Last Seen'], ['Type'], ['Reason'], ['Object'], ['Message']],
    cells: (ev, now) => [
      age(ev, now),
      stringField(ev, 'type') ?? '',
      stringField(ev, 'reason') ?? '',
      `${(stringField(ev, 'involvedObject', 'kind') ?? '').toLowerCase()}/${stringField(ev, 'involvedObject', 'name') ?? ''}`,
      stringField(ev, 'message') ?? '',
    ],
  },
  deployments: {
    columns: [
      ['Name'],
      ['Ready'],
      ['Up-to-date', 0, 'integer'],
      ['Available', 0, 'integer'],
      ['Age'],
      ['Containers', 1],
      ['Images', 1],
      ['Selector', 1],
    ],
    cells: (d, now) => {
      const containers = listField(d, 'spec', 'template', 'spec', 'containers');
      return [
        d.metadata.name,
        `${numberField(d, 'status', 'readyReplicas') ?? 0}/${numberField(d, 'spec', 'replicas') ?? 0}`,
        numberField(d, 'status', 'updatedReplicas') ?? 0,
        numberField(d, 'status', 'availableReplicas') ?? 0,
        age(d, now),
        containers.map((c) => stringField(c, 'name')).join(','),
        containers.map((c) => stringField(c, 'image')).join(','),
        formatLabelSelector(field(d, 'spec', 'selector') as LabelSelectorObject | undefined),
      ];
    },
  },
  replicasets: {
    columns: [
      ['Name'],
      ['Desired', 0, 'integer'],
      ['Current', 0, 'integer'],
      ['Ready', 0, 'integer'],
      ['Age'],
      ['Containers', 1],
      ['Images', 1],
      ['Selector', 1],
    ],
    cells: (rs, now) => {
      const containers = listField(rs, 'spec', 'template', 'spec', 'containers');
      return [
        rs.metadata.name,
        numberField(rs, 'spec', 'replicas') ?? 0,
        numberField(rs, 'status', 'replicas') ?? 0,
        numberField(rs, 'status', 'readyReplicas') ?? 0,
        age(rs, now),
        containers.map((c) => stringField(c, 'name')).join(','),
        containers.map((c) => stringField(c, 'image')).join(','),
        formatLabelSelector(field(rs, 'spec', 'selector') as LabelSelectorObject | undefined),
      ];
    },
  },
  endpointslices: {
    columns: [['Name'], ['AddressType'], ['Ports'], ['Endpoints'], ['Age']],
    cells: (slice, now) => {
      const ports = listField(slice, 'ports').map((p) => String(numberField(p, 'port') ?? ''));
      const addresses = listField(slice, 'endpoints').flatMap((e) => listField(e, 'addresses').map(String));
      const shown = addresses.slice(0, 3).join(',');
      return [
        slice.metadata.name,
        stringField(slice, 'addressType') ?? '',
        ports.length ? ports.join(',') : '<unset>',
        addresses.length === 0
          ? '<none>'
          : addresses.length > 3
            ? `${shown} + ${addresses.length - 3} more...`
            : shown,
        age(slice, now),
      ];
    },
  },
  ingresses: {
    columns: [['Name'], ['Class'], ['Hosts'], ['Address'], ['Ports'], ['Age']],
    cells: (ing, now) => {
      const hosts = listField(ing, 'spec', 'rules')
        .map((r) => stringField(r, 'host') ?? '')
        .filter(Boolean);
      const addresses = listField(ing, 'status', 'loadBalancer', 'ingress').map(
        (i) => stringField(i, 'ip') ?? stringField(i, 'hostname') ?? '',
      );
      return [
        ing.metadata.name,
        orNone(stringField(ing, 'spec', 'ingressClassName')),
        hosts.length ? hosts.join(',') : '*',
        addresses.join(','),
        listField(ing, 'spec', 'tls').length ? '80, 443' : '80',
        age(ing, now),
      ];
    },
  },
  networkpolicies: {
    columns: [['Name'], ['Pod-Selector'], ['Age']],
    cells: (np, now) => {
      const selector = formatLabelSelector(
        field(np, 'spec', 'podSelector') as LabelSelectorObject | undefined,
      );
      return [np.metadata.name, selector, age(np, now)];
    },
  },
};

const DESCRIPTIONS: Record<string, string> = {
  Name: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically.',
  Age: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
};

function columnDefinitions(printer: Printer): TableColumnDefinition[] {
  return printer.columns.map(([name, priority = 0, type = 'string']) => ({
    name,
    type,
    format: name === 'Name' ? 'name' : '',
    description: DESCRIPTIONS[name] ?? name,
    priority,
  }));
}

function partialMetadata(metadata: ObjectMeta): ObjectMeta {
  const { managedFields: _managedFields, ...rest } = metadata;
  return rest;
}

/** Server-side printing: the Table `kubectl get` asks for, with the columns the real API server prints. */
export function renderTable(
  resource: string,
  objects: readonly KubeObject[],
  now: number,
  metadata: Table['metadata'] = {},
  withColumns = true,
): Table {
  const printer = PRINTERS[resource];
  if (!printer) throw new Error(`no printer for ${resource}`);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: withColumns ? columnDefinitions(printer) : [],
    rows: objects.map((object) => ({
      cells: printer.cells(object, now),
      object: {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: partialMetadata(object.metadata),
      },
    })),
  };
}
