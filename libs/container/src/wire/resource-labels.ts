import { gceLabelProblem, MAX_GCE_LABELS } from '@gke-emulator/common';
import { ContainerErrors } from './container-errors';

/** A JSON field path as the Container API names it in errors: proto (snake_case) names, `cluster.node_pools[0]`. */
export function protoPath(path: string): string {
  return path.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * GKE's check of GCE resource labels (`resourceLabels` of a cluster, of a node config, of a SetLabels request):
 * Google's rules (see gce-labels), 400 INVALID_ARGUMENT naming the first bad key or value at its proto path.
 *
 * The wording is Google's as quoted in public reports: for a value, "Invalid field 'cluster.resource_labels.value':
 * "…". It must only contain lowercase letters ([a-z]), numeric characters ([0-9]), underscores (_) and dashes (-).
 * International characters are allowed." (clusters.create); for a key, "Invalid field 'resource_labels.key': "…".
 * It must only contain …, and must start with a letter. International characters are allowed." (setResourceLabels).
 * The same words are assumed for node configs' resource labels and for values over 63 characters; the message for
 * more than 64 labels was not found anywhere and is ours.
 */
export function assertResourceLabels(labels: unknown, path: string): void {
  if (labels === undefined || labels === null || typeof labels !== 'object' || Array.isArray(labels)) return;
  const problem = gceLabelProblem(labels as Record<string, unknown>);
  if (!problem) return;
  const at = protoPath(path);
  if (problem.kind === 'count')
    throw ContainerErrors.invalid(
      `Invalid field '${at}': a resource can have at most ${MAX_GCE_LABELS} labels, ${problem.count} were given.`,
    );
  if (problem.kind === 'key')
    throw ContainerErrors.invalid(
      `Invalid field '${at}.key': ${JSON.stringify(problem.key)}. It must only contain lowercase letters ([a-z]), numeric characters ([0-9]), underscores (_) and dashes (-), and must start with a letter. International characters are allowed.`,
    );
  throw ContainerErrors.invalid(
    `Invalid field '${at}.value': ${JSON.stringify(problem.value)}. It must only contain lowercase letters ([a-z]), numeric characters ([0-9]), underscores (_) and dashes (-). International characters are allowed.`,
  );
}
