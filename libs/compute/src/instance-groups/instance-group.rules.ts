import { GoogleApiError, GoogleErrors, parseWireBody, relativeReference } from '@gke-emulator/common';
import { assertResourceName, NAME_PATTERN } from '../shared/names';
import { networkNameOf } from '../shared/references';
import { KNOWN_REGIONS } from '../shared/regions';
import {
  INSTANCE_GROUP,
  INSTANCE_GROUPS_ADD_INSTANCES_REQUEST,
  INSTANCE_GROUPS_LIST_INSTANCES_REQUEST,
  INSTANCE_GROUPS_REMOVE_INSTANCES_REQUEST,
  INSTANCE_GROUPS_SET_NAMED_PORTS_REQUEST,
} from '../shared/wire-schemas.generated';
import type { NamedPort } from './instance-group.wire';

/**
 * The rules of Compute's user-facing unmanaged instance groups (instanceGroups.insert, addInstances,
 * removeInstances, setNamedPorts), free of the database: what a body may hold and what it names.
 */

const REGIONS = new Set(KNOWN_REGIONS);

/** A zone of a known region (`us-central1-a`); any other is not found, as Compute answers an unknown zone. */
export function assertZone(project: string, zone: string): string {
  const match = zone.match(/^(.+)-[a-z]$/);
  if (!match || !REGIONS.has(match[1] as string))
    throw GoogleErrors.notFound(`projects/${project}/zones/${zone}`);
  return zone;
}

export interface InstanceGroupInsert {
  name: string;
  description?: string;
  namedPorts: NamedPort[];
  /** the network's name, when the body names one (else the first instance added sets it) */
  network?: string;
}

/** An instanceGroups.insert body: a name, and optionally a description, named ports and a network. */
export function parseInsertBody(project: string, raw: unknown): InstanceGroupInsert {
  const body = parseWireBody<{
    name?: string;
    description?: string;
    namedPorts?: unknown[];
    network?: string;
  }>(raw, INSTANCE_GROUP);
  const name = assertResourceName(body.name);
  const namedPorts = parseNamedPorts(body.namedPorts, 'resource.namedPorts');
  const network =
    body.network === undefined || body.network === ''
      ? undefined
      : networkNameOf(project, body.network, 'resource.network');
  return {
    name,
    ...(body.description ? { description: body.description } : {}),
    namedPorts,
    ...(network ? { network } : {}),
  };
}

/**
 * Named ports: each an RFC 1035 name and a port in 1-65535. One name may carry several ports (Google's own
 * example: `http` on 80 and 8080); the very same pair twice is refused.
 */
export function parseNamedPorts(value: unknown[] | undefined, field: string): NamedPort[] {
  const ports: NamedPort[] = [];
  for (const [index, raw] of (value ?? []).entries()) {
    const item = raw as { name?: unknown; port?: unknown };
    const where = `${field}[${index}]`;
    if (item.name === undefined || item.name === '') throw GoogleErrors.required(`${where}.name`);
    if (typeof item.name !== 'string' || !NAME_PATTERN.test(item.name)) {
      throw GoogleErrors.invalidFieldValue(
        `${where}.name`,
        item.name,
        'Must be a match of regex (?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)',
      );
    }
    if (item.port === undefined) throw GoogleErrors.required(`${where}.port`);
    const port = Number(item.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw GoogleErrors.invalidFieldValue(`${where}.port`, item.port, 'Must be between 1 and 65535.');
    }
    if (ports.some((p) => p.name === item.name && p.port === port)) {
      throw GoogleErrors.invalid(`Duplicate named port '${item.name}:${port}' in ${field}.`);
    }
    ports.push({ name: item.name, port });
  }
  return ports;
}

/** An instances[] body of addInstances/removeInstances: the instances' names, all in the group's zone. */
export function parseInstanceReferences(
  project: string,
  zone: string,
  raw: unknown,
  verb: 'addInstances' | 'removeInstances',
): string[] {
  const schema =
    verb === 'addInstances'
      ? INSTANCE_GROUPS_ADD_INSTANCES_REQUEST
      : INSTANCE_GROUPS_REMOVE_INSTANCES_REQUEST;
  const body = parseWireBody<{ instances?: { instance?: string }[] }>(raw, schema);
  const names: string[] = [];
  for (const [index, item] of (body.instances ?? []).entries()) {
    const field = `resource.instances[${index}].instance`;
    if (!item.instance) throw GoogleErrors.required(field);
    names.push(instanceNameOf(project, zone, item.instance, field));
  }
  return [...new Set(names)];
}

/** An instance reference (URL, `projects/P/zones/Z/instances/I`, `zones/Z/instances/I` or a name) in `zone`. */
export function instanceNameOf(project: string, zone: string, value: string, field: string): string {
  const relative = relativeReference(project, value, `zones/${zone}/instances`);
  const match = relative?.match(/^projects\/([^/]+)\/zones\/([^/]+)\/instances\/([^/]+)$/);
  if (!match) throw GoogleErrors.invalidFieldValue(field, value, 'The URL is malformed.');
  if (match[1] !== project) {
    throw GoogleErrors.invalidFieldValue(
      field,
      value,
      'Cross-project references for this resource type are not allowed.',
    );
  }
  if (match[2] !== zone) {
    throw GoogleErrors.invalidFieldValue(
      field,
      value,
      `Instance must be in zone '${zone}', the zone of the instance group.`,
    );
  }
  return match[3] as string;
}

/** listInstances' body: `instanceState` ALL or RUNNING (the emulator's instances all run, so both list all). */
export function parseListInstances(raw: unknown): void {
  const body = parseWireBody<{ instanceState?: string }>(raw ?? {}, INSTANCE_GROUPS_LIST_INSTANCES_REQUEST);
  if (body.instanceState !== undefined && !['ALL', 'RUNNING'].includes(body.instanceState)) {
    throw GoogleErrors.invalidFieldValue(
      'resource.instanceState',
      body.instanceState,
      'Must be one of [ALL, RUNNING].',
    );
  }
}

/** setNamedPorts: the new list, and the fingerprint the caller read (checked against the group's). */
export function parseSetNamedPorts(raw: unknown): { namedPorts: NamedPort[]; fingerprint?: string } {
  const body = parseWireBody<{ namedPorts?: unknown[]; fingerprint?: string }>(
    raw,
    INSTANCE_GROUPS_SET_NAMED_PORTS_REQUEST,
  );
  return {
    namedPorts: parseNamedPorts(body.namedPorts, 'resource.namedPorts'),
    ...(body.fingerprint ? { fingerprint: body.fingerprint } : {}),
  };
}

/** addInstances of an instance already in the group (400 memberAlreadyExists, Compute's wording). */
export function memberAlreadyExists(instancePath: string, groupPath: string): GoogleApiError {
  return new GoogleApiError(
    400,
    'memberAlreadyExists',
    `Resource '${instancePath}' is already a member of '${groupPath}'.`,
  );
}

/** addInstances/removeInstances/setNamedPorts on a node pool's group: its manager owns its instances. */
export function managedGroupError(groupPath: string): GoogleApiError {
  return GoogleErrors.invalid(
    `The instance group '${groupPath}' is managed by '${groupPath.replace('/instanceGroups/', '/instanceGroupManagers/')}'; use the instance group manager to change its instances.`,
  );
}

/** An instance on another network than the group's (all instances of a group share one network). */
export function networkMismatch(instancePath: string, instanceNetwork: string, groupNetwork: string) {
  return GoogleErrors.invalid(
    `Resource '${instancePath}' is in network '${instanceNetwork}', but the instance group is in network '${groupNetwork}'. All instances of an instance group must be in the same network.`,
  );
}
