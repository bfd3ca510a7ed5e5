import { isStrictSubCidr, parseIpCidr } from '@gke-emulator/netaddr';
import { cause, type StatusCause } from './kube-status';
import { field, isPlainObject, type KubeObject, listField, numberField, stringField } from './kube-object';
import { byteLength, isQualifiedName, isValidLabelValue, NAME_RULES, nameProblems } from './names';
import { matchesLabels, requirementsOf, type LabelSelectorObject } from './selectors';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

const GO_ESCAPES: Record<string, string> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

/** Go's `%q` (strconv.Quote): printable characters kept, the rest escaped as Go escapes them. */
export function goQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const escape = GO_ESCAPES[ch];
    const code = ch.codePointAt(0) as number;
    if (escape) out += escape;
    else if (ch === ' ' || !/[\p{C}\p{Z}]/u.test(ch)) out += ch;
    else if (code < 0x80) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** How `field.Error` prints a bad value: strings as Go's `%q`, numbers and booleans plainly, the rest as JSON. */
function quoted(value: unknown): string {
  return typeof value === 'string' ? goQuote(value) : JSON.stringify(value);
}

function invalid(path: string, value: unknown, message: string): StatusCause {
  return cause('FieldValueInvalid', path, `Invalid value: ${quoted(value)}: ${message}`);
}

function required(path: string, message = ''): StatusCause {
  return cause('FieldValueRequired', path, message ? `Required value: ${message}` : 'Required value');
}

function notSupported(path: string, value: unknown, supported: string[]): StatusCause {
  return cause(
    'FieldValueNotSupported',
    path,
    `Unsupported value: ${quoted(value)}: supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
  );
}

function validatePort(path: string, value: unknown, causes: StatusCause[]): void {
  if (typeof value !== 'number' || value < 1 || value > 65535)
    causes.push(invalid(path, value, 'must be between 1 and 65535, inclusive'));
}

/** `ValidateLabels`: each key a qualified name, each value a label value; every message its own cause. */
function validateLabels(path: string, labels: unknown, causes: StatusCause[]): void {
  if (!isPlainObject(labels)) return;
  for (const [key, value] of Object.entries(labels)) {
    for (const problem of isQualifiedName(key)) causes.push(invalid(path, key, problem));
    for (const problem of isValidLabelValue(String(value)))
      causes.push(invalid(path, String(value), problem));
  }
}

/**
 * `ValidateLabelSelector`: matchLabels as labels; each matchExpressions entry a known operator with values only
 * where it takes them, a qualified-name key and label values.
 */
function validateLabelSelector(path: string, selector: unknown, causes: StatusCause[]): void {
  if (!isPlainObject(selector)) return;
  validateLabels(`${path}.matchLabels`, selector['matchLabels'], causes);
  listField(selector, 'matchExpressions').forEach((expression, index) => {
    const at = `${path}.matchExpressions[${index}]`;
    const operator = field(expression, 'operator');
    const values = listField(expression, 'values');
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0)
        causes.push(required(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0)
        causes.push(
          cause(
            'FieldValueForbidden',
            `${at}.values`,
            "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
          ),
        );
    } else {
      causes.push(invalid(`${at}.operator`, operator ?? '', 'not a valid selector operator'));
    }
    const key = field(expression, 'key');
    for (const problem of isQualifiedName(typeof key === 'string' ? key : ''))
      causes.push(invalid(`${at}.key`, key ?? '', problem));
    values.forEach((value, valueIndex) => {
      for (const problem of isValidLabelValue(String(value)))
        causes.push(invalid(`${at}.values[${valueIndex}]`, String(value), problem));
    });
  });
}

/** The most bytes all of an object's annotation keys and values may take together (`TotalAnnotationSizeLimitB`). */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** `ValidateAnnotations`: keys are qualified names once lowercased; keys and values together at most 256 KiB. */
function validateAnnotations(path: string, annotations: unknown, causes: StatusCause[]): void {
  if (!isPlainObject(annotations)) return;
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    for (const problem of isQualifiedName(key.toLowerCase())) causes.push(invalid(path, key, problem));
    size += byteLength(key) + byteLength(typeof value === 'string' ? value : String(value));
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT)
    causes.push(
      cause('FieldValueTooLong', path, `Too long: may not be more than ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes`),
    );
}

/** `ValidateFinalizers`' name check: each finalizer a qualified name. */
function validateFinalizers(path: string, finalizers: unknown, causes: StatusCause[]): void {
  if (!Array.isArray(finalizers)) return;
  for (const finalizer of finalizers)
    if (typeof finalizer === 'string')
      for (const problem of isQualifiedName(finalizer)) causes.push(invalid(path, finalizer, problem));
}

/**
 * `ValidateObjectMetaAccessor` with the kind's name rule: generateName (as a prefix), name, labels, annotations and
 * finalizers, in the server's order.
 */
export function validateMetadata(resource: string, object: KubeObject, causes: StatusCause[]): void {
  const rule = NAME_RULES[resource] ?? 'dns1123Subdomain';
  const { name, generateName } = object.metadata;
  if (typeof generateName === 'string' && generateName.length > 0)
    for (const problem of nameProblems(generateName, rule, true))
      causes.push(invalid('metadata.generateName', generateName, problem));
  if (!name) causes.push(required('metadata.name', 'name or generateName is required'));
  else for (const problem of nameProblems(name, rule)) causes.push(invalid('metadata.name', name, problem));
  validateLabels('metadata.labels', object.metadata.labels, causes);
  validateAnnotations('metadata.annotations', object.metadata.annotations, causes);
  validateFinalizers('metadata.finalizers', object.metadata.finalizers, causes);
}

function validateContainers(path: string, spec: unknown, causes: StatusCause[]): void {
  const containers = listField(spec, 'containers');
  if (containers.length === 0) causes.push(required(`${path}.containers`));
  const names = new Set<string>();
  containers.forEach((container, index) => {
    const at = `${path}.containers[${index}]`;
    const name = stringField(container, 'name');
    if (!name) causes.push(required(`${at}.name`));
    else {
      for (const problem of nameProblems(name, 'dns1123Label'))
        causes.push(invalid(`${at}.name`, name, problem));
      if (names.has(name))
        causes.push(cause('FieldValueDuplicate', `${at}.name`, `Duplicate value: "${name}"`));
      names.add(name);
    }
    if (!stringField(container, 'image')) causes.push(required(`${at}.image`));
    listField(container, 'ports').forEach((port, portIndex) => {
      const portName = stringField(port, 'name');
      if (portName)
        for (const problem of portNameProblems(portName))
          causes.push(invalid(`${at}.ports[${portIndex}].name`, portName, problem));
      validatePort(`${at}.ports[${portIndex}].containerPort`, field(port, 'containerPort'), causes);
      const protocol = field(port, 'protocol');
      if (protocol !== undefined && !PROTOCOLS.includes(String(protocol)))
        causes.push(notSupported(`${at}.ports[${portIndex}].protocol`, protocol, PROTOCOLS));
    });
  });
  validateLabels(`${path}.nodeSelector`, field(spec, 'nodeSelector'), causes);
  const restartPolicy = stringField(spec, 'restartPolicy');
  if (restartPolicy !== undefined && !['Always', 'OnFailure', 'Never'].includes(restartPolicy)) {
    causes.push(notSupported(`${path}.restartPolicy`, restartPolicy, ['Always', 'OnFailure', 'Never']));
  }
}

function validatePod(pod: KubeObject, causes: StatusCause[]): void {
  validateContainers('spec', pod['spec'], causes);
}

/** A Deployment or a ReplicaSet: replicas, a selector its template matches, containers. */
function validateWorkload(kind: string, workload: KubeObject, causes: StatusCause[]): void {
  const deployment = workload;
  const replicas = numberField(deployment, 'spec', 'replicas');
  if (replicas !== undefined && replicas < 0)
    causes.push(invalid('spec.replicas', replicas, 'must be greater than or equal to 0'));
  const selector = field(deployment, 'spec', 'selector') as LabelSelectorObject | undefined;
  const requirements = selector ? requirementsOf(selector) : [];
  const selectorCauses: StatusCause[] = [];
  validateLabelSelector('spec.selector', selector, selectorCauses);
  causes.push(...selectorCauses);
  if (!selector) causes.push(required('spec.selector'));
  else if (requirements.length === 0)
    causes.push(invalid('spec.selector', selector, `empty selector is invalid for ${kind}`));
  if (selectorCauses.length > 0) {
    // LabelSelectorAsSelector fails on such a selector: the server says so and checks no template against it.
    const { matchLabels, matchExpressions } = selector as LabelSelectorObject;
    causes.push(invalid('spec.selector', { matchLabels, matchExpressions }, 'invalid label selector'));
    return;
  }
  const templateLabels = field(deployment, 'spec', 'template', 'metadata', 'labels') as
    Record<string, string> | undefined;
  validateLabels('spec.template.metadata.labels', templateLabels, causes);
  validateAnnotations(
    'spec.template.metadata.annotations',
    field(deployment, 'spec', 'template', 'metadata', 'annotations'),
    causes,
  );
  if (selector && requirements.length > 0 && !matchesLabels(requirements, templateLabels)) {
    causes.push(
      invalid(
        'spec.template.metadata.labels',
        templateLabels ?? {},
        '`selector` does not match template `labels`',
      ),
    );
  }
  validateContainers('spec.template.spec', field(deployment, 'spec', 'template', 'spec'), causes);
}

function validateDeployment(deployment: KubeObject, causes: StatusCause[]): void {
  validateWorkload('deployment', deployment, causes);
  const strategy = stringField(deployment, 'spec', 'strategy', 'type');
  if (strategy !== undefined && !['Recreate', 'RollingUpdate'].includes(strategy))
    causes.push(notSupported('spec.strategy.type', strategy, ['Recreate', 'RollingUpdate']));
}

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

function validateService(service: KubeObject, causes: StatusCause[]): void {
  const type = stringField(service, 'spec', 'type') ?? 'ClusterIP';
  if (!SERVICE_TYPES.includes(type)) causes.push(notSupported('spec.type', type, SERVICE_TYPES));
  validateLabels('spec.selector', field(service, 'spec', 'selector'), causes);
  const ports = listField(service, 'spec', 'ports');
  const headless = stringField(service, 'spec', 'clusterIP') === 'None';
  if (ports.length === 0 && type !== 'ExternalName' && !headless) causes.push(required('spec.ports'));
  if (type === 'ExternalName' && !stringField(service, 'spec', 'externalName'))
    causes.push(required('spec.externalName'));
  const names = new Set<string>();
  ports.forEach((port, index) => {
    const at = `spec.ports[${index}]`;
    const name = stringField(port, 'name');
    if (ports.length > 1 && !name) causes.push(required(`${at}.name`));
    if (name) {
      for (const problem of nameProblems(name, 'dns1123Label'))
        causes.push(invalid(`${at}.name`, name, problem));
      if (names.has(name))
        causes.push(cause('FieldValueDuplicate', `${at}.name`, `Duplicate value: "${name}"`));
      names.add(name);
    }
    validatePort(`${at}.port`, field(port, 'port'), causes);
    const protocol = field(port, 'protocol');
    if (protocol !== undefined && !PROTOCOLS.includes(String(protocol)))
      causes.push(notSupported(`${at}.protocol`, protocol, PROTOCOLS));
    const targetPort = field(port, 'targetPort');
    if (typeof targetPort === 'number') validatePort(`${at}.targetPort`, targetPort, causes);
    const nodePort = field(port, 'nodePort');
    if (nodePort !== undefined && (type === 'ClusterIP' || type === 'ExternalName') && nodePort !== 0) {
      causes.push(
        cause(
          'FieldValueForbidden',
          `${at}.nodePort`,
          "Forbidden: may not be used when `type` is 'ClusterIP'",
        ),
      );
    }
  });
}

const CIDR_MESSAGE = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';
const NETWORK_POLICY_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const IANA_SVC_NAME_LETTER = /[a-z]/;
const IANA_SVC_NAME_CHARS = /^[-a-z0-9]+$/;

/** `validation.IsValidPortName`: an IANA_SVC_NAME (at most 15 lowercase alphanumerics and hyphens, with a letter). */
export function portNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (Buffer.byteLength(name) > 15) problems.push('must be no more than 15 bytes');
  if (!IANA_SVC_NAME_CHARS.test(name))
    problems.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!IANA_SVC_NAME_LETTER.test(name)) problems.push('must contain at least one letter (a-z)');
  if (name.includes('--')) problems.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) problems.push('must not begin or end with a hyphen');
  return problems;
}

/** `ValidateIPBlock`: a CIDR of either family, each `except` a CIDR strictly inside it. */
function validateIpBlock(path: string, block: unknown, causes: StatusCause[]): void {
  const cidrText = stringField(block, 'cidr');
  if (!cidrText) {
    causes.push(required(`${path}.cidr`));
    return;
  }
  const cidr = parseIpCidr(cidrText);
  if (!cidr) {
    causes.push(invalid(`${path}.cidr`, cidrText, CIDR_MESSAGE));
    return;
  }
  listField(block, 'except').forEach((exceptText, index) => {
    const at = `${path}.except[${index}]`;
    const except = typeof exceptText === 'string' ? parseIpCidr(exceptText) : null;
    if (!except) causes.push(invalid(at, exceptText, CIDR_MESSAGE));
    else if (!isStrictSubCidr(except, cidr))
      causes.push(invalid(at, exceptText, 'must be a strict subset of `cidr`'));
  });
}

/** `ValidateNetworkPolicyPort`: a known protocol, a port number or name, an end port only after a lower number. */
function validateNetworkPolicyPort(path: string, port: unknown, causes: StatusCause[]): void {
  const protocol = field(port, 'protocol');
  if (protocol !== undefined && protocol !== null && !NETWORK_POLICY_PROTOCOLS.includes(String(protocol)))
    causes.push(notSupported(`${path}.protocol`, protocol, NETWORK_POLICY_PROTOCOLS));
  const number = field(port, 'port');
  const endPort = field(port, 'endPort');
  const hasEndPort = endPort !== undefined && endPort !== null;
  if (number === undefined || number === null) {
    if (hasEndPort)
      causes.push(invalid(`${path}.endPort`, endPort, 'may not be specified when `port` is not specified'));
  } else if (typeof number === 'number') {
    validatePort(`${path}.port`, number, causes);
    if (hasEndPort) {
      if (typeof endPort === 'number' && endPort < number)
        causes.push(invalid(`${path}.endPort`, number, 'must be greater than or equal to `port`'));
      validatePort(`${path}.endPort`, endPort, causes);
    }
  } else {
    if (hasEndPort)
      causes.push(invalid(`${path}.endPort`, endPort, 'may not be specified when `port` is non-numeric'));
    for (const problem of portNameProblems(String(number)))
      causes.push(invalid(`${path}.port`, number, problem));
  }
}

function validateNetworkPolicy(policy: KubeObject, causes: StatusCause[]): void {
  if (field(policy, 'spec', 'podSelector') === undefined && field(policy, 'spec') === undefined)
    causes.push(required('spec.podSelector'));
  validateLabelSelector('spec.podSelector', field(policy, 'spec', 'podSelector'), causes);
  listField(policy, 'spec', 'policyTypes').forEach((type, index) => {
    if (type !== 'Ingress' && type !== 'Egress')
      causes.push(notSupported(`spec.policyTypes[${index}]`, type, ['Egress', 'Ingress']));
  });
  for (const [direction, peers] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    listField(policy, 'spec', direction).forEach((rule, ruleIndex) => {
      const at = `spec.${direction}[${ruleIndex}]`;
      listField(rule, 'ports').forEach((port, portIndex) =>
        validateNetworkPolicyPort(`${at}.ports[${portIndex}]`, port, causes),
      );
      listField(rule, peers).forEach((peer, peerIndex) => {
        const peerPath = `${at}.${peers}[${peerIndex}]`;
        validateLabelSelector(`${peerPath}.podSelector`, field(peer, 'podSelector'), causes);
        validateLabelSelector(`${peerPath}.namespaceSelector`, field(peer, 'namespaceSelector'), causes);
        const block = field(peer, 'ipBlock');
        if (block !== undefined && block !== null)
          validateIpBlock(`${at}.${peers}[${peerIndex}].ipBlock`, block, causes);
      });
    });
  }
}

function validateEndpointSlice(slice: KubeObject, causes: StatusCause[]): void {
  const addressType = field(slice, 'addressType');
  if (addressType === undefined) causes.push(required('addressType'));
  else if (!['IPv4', 'IPv6', 'FQDN'].includes(String(addressType)))
    causes.push(notSupported('addressType', addressType, ['FQDN', 'IPv4', 'IPv6']));
}

function validateIngress(ingress: KubeObject, causes: StatusCause[]): void {
  listField(ingress, 'spec', 'rules').forEach((rule, ruleIndex) => {
    listField(rule, 'http', 'paths').forEach((path, pathIndex) => {
      const at = `spec.rules[${ruleIndex}].http.paths[${pathIndex}]`;
      const pathType = field(path, 'pathType');
      if (pathType === undefined) causes.push(required(`${at}.pathType`, 'pathType must be specified'));
      else if (!['Exact', 'ImplementationSpecific', 'Prefix'].includes(String(pathType)))
        causes.push(notSupported(`${at}.pathType`, pathType, ['Exact', 'ImplementationSpecific', 'Prefix']));
      if (!field(path, 'backend')) causes.push(required(`${at}.backend`));
    });
  });
}

const KIND_VALIDATORS: Record<string, (object: KubeObject, causes: StatusCause[]) => void> = {
  pods: validatePod,
  deployments: validateDeployment,
  replicasets: (replicaSet, causes) => validateWorkload('replicaset', replicaSet, causes),
  services: validateService,
  networkpolicies: validateNetworkPolicy,
  endpointslices: validateEndpointSlice,
  ingresses: validateIngress,
};

/** Every 422 cause for an object of the resource (metadata and the kind's own rules). */
export function validateObject(resource: string, object: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  validateMetadata(resource, object, causes);
  KIND_VALIDATORS[resource]?.(object, causes);
  return causes;
}

/** Fields an update may not change, beyond metadata.name/namespace/uid. */
export function validateUpdate(resource: string, next: KubeObject, old: KubeObject): StatusCause[] {
  const causes = validateObject(resource, next);
  if (
    (resource === 'deployments' || resource === 'replicasets') &&
    JSON.stringify(field(next, 'spec', 'selector')) !== JSON.stringify(field(old, 'spec', 'selector'))
  ) {
    causes.push(invalid('spec.selector', field(next, 'spec', 'selector'), 'field is immutable'));
  }
  if (resource === 'services') {
    const oldIp = stringField(old, 'spec', 'clusterIP');
    const newIp = stringField(next, 'spec', 'clusterIP');
    if (oldIp && newIp !== undefined && newIp !== oldIp)
      causes.push(invalid('spec.clusterIPs[0]', newIp, 'may not change once set'));
  }
  if (resource === 'pods') {
    const strip = (pod: KubeObject) =>
      listField(pod, 'spec', 'containers').map((c) => ({ ...(c as object), image: undefined }));
    if (JSON.stringify(strip(next)) !== JSON.stringify(strip(old))) {
      causes.push(
        cause(
          'FieldValueForbidden',
          'spec',
          'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
        ),
      );
    }
  }
  return causes;
}
