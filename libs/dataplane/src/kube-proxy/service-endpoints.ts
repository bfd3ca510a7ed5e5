import { endpointChainName } from './chain-names';
import { isIpv4Address } from './ipv4-sloppy.parser';
import { type KubeEndpointSlice } from './kube-proxy.types';
import { type ServicePortInfo } from './service-port-info';

/** One endpoint of one service port (kube-proxy's endpointInfo). */
export interface EndpointInfo {
  readonly ip: string;
  readonly port: number;
  /** "ip:port", also the DNAT destination. */
  readonly endpoint: string;
  /** KUBE-SEP-* */
  readonly chain: string;
  /** Empty when the slice does not say; such an endpoint is never local. */
  readonly nodeName: string;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
}

type BaseEndpoint = Omit<EndpointInfo, 'chain'>;

function portKey(portName: string, protocol: string): string {
  return `${protocol}/${portName}`;
}

/**
 * Groups a service's EndpointSlices by port (name and protocol), one entry per "ip:port". When two slices
 * list the same address, a non-terminating endpoint wins, as in kube-proxy's EndpointSliceCache.
 */
function endpointsByPort(slices: readonly KubeEndpointSlice[]): Map<string, Map<string, BaseEndpoint>> {
  const byPort = new Map<string, Map<string, BaseEndpoint>>();
  for (const slice of slices) {
    if ((slice.addressType ?? 'IPv4') !== 'IPv4') continue;
    for (const port of slice.ports) {
      if (port.port === undefined || port.port === 0) continue;
      const key = portKey(port.name ?? '', port.protocol ?? 'TCP');
      const set = byPort.get(key) ?? new Map<string, BaseEndpoint>();
      byPort.set(key, set);
      for (const endpoint of slice.endpoints) {
        const ip = endpoint.addresses[0]?.trim();
        if (ip === undefined || !isIpv4Address(ip)) continue;
        const terminating = endpoint.conditions?.terminating ?? false;
        const info: BaseEndpoint = {
          ip,
          port: port.port,
          endpoint: `${ip}:${port.port}`,
          nodeName: endpoint.nodeName ?? '',
          ready: endpoint.conditions?.ready ?? true,
          serving: endpoint.conditions?.serving ?? true,
          terminating,
        };
        if (!set.has(info.endpoint) || !terminating) set.set(info.endpoint, info);
      }
    }
  }
  return byPort;
}

/**
 * The endpoints of each service port, ordered by "ip:port" as text (kube-proxy sorts them so that the rules
 * are stable), with their KUBE-SEP chain names.
 */
export function servicePortEndpoints(
  servicePorts: readonly ServicePortInfo[],
  slices: readonly KubeEndpointSlice[],
): Map<ServicePortInfo, EndpointInfo[]> {
  const byPort = endpointsByPort(slices);
  const result = new Map<ServicePortInfo, EndpointInfo[]>();
  for (const servicePort of servicePorts) {
    const set = byPort.get(portKey(servicePort.portName, servicePort.protocol));
    const endpoints = [...(set?.values() ?? [])]
      .sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0))
      .map((base) => ({
        ...base,
        chain: endpointChainName(servicePort.servicePortName, servicePort.ruleProtocol, base.endpoint),
      }));
    result.set(servicePort, endpoints);
  }
  return result;
}
