import type { CompiledPorts, NamedPortRef } from './compiled-policy.types';
import { type ConnectionSet, protocolConnections, unionConnections } from './connection-set.model';
import type { PodInfo } from './network-policy.types';

/**
 * The container port a rule's named port means on this pod: same name AND same protocol (a container port
 * without protocol is TCP). Undefined when the pod has no such port, so the rule port matches nothing.
 */
export function resolveNamedPort(pod: PodInfo, ref: NamedPortRef): number | undefined {
  for (const container of pod.containers ?? []) {
    for (const port of container.ports ?? []) {
      // Port names are unique within a pod, so the first port with the name decides.
      if (port.name === ref.name)
        return (port.protocol ?? 'TCP') === ref.protocol ? port.containerPort : undefined;
    }
  }
  return undefined;
}

/** The rule's connections towards this destination; named ports match nothing for a non-pod destination. */
export function resolveRulePorts(ports: CompiledPorts, destination: PodInfo | undefined): ConnectionSet {
  let result = ports.numeric;
  if (destination === undefined) return result;
  for (const ref of ports.named) {
    const port = resolveNamedPort(destination, ref);
    if (port !== undefined)
      result = unionConnections(result, protocolConnections(ref.protocol, [{ start: port, end: port }]));
  }
  return result;
}
