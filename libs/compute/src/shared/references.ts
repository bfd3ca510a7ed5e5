import { GoogleErrors, relativeReference } from '@gke-emulator/common';

/** Resolves a network reference (URL, partial path or name) to its name, in the caller's project only. */
export function networkNameOf(project: string, value: unknown, field: string): string {
  if (value === undefined || value === '') throw GoogleErrors.required(field);
  if (typeof value !== 'string')
    throw GoogleErrors.invalidFieldValue(field, value, 'Expected a network reference.');
  const relative = relativeReference(project, value, 'global/networks');
  const match = relative?.match(/^projects\/([^/]+)\/global\/networks\/([^/]+)$/);
  if (!match) throw GoogleErrors.invalidFieldValue(field, value, 'The URL is malformed.');
  if (match[1] !== project) {
    throw GoogleErrors.invalidFieldValue(
      field,
      value,
      'Cross-project references for this resource type are not allowed.',
    );
  }
  return match[2] as string;
}

/**
 * A `region` given in a body must name the region of the request path. Google accepts it as a name, a URL, or
 * `projects/P/global/regions/R` (what Terraform's beta provider sends).
 */
export function assertSameRegion(project: string, region: string, value: unknown, field: string): void {
  if (value === undefined) return;
  const relative =
    typeof value === 'string'
      ? relativeReference(project, value, 'regions')?.replace(
          /^(projects\/[^/]+)\/global\/regions\//,
          '$1/regions/',
        )
      : null;
  if (relative !== `projects/${project}/regions/${region}`) {
    throw GoogleErrors.invalidFieldValue(
      field,
      value,
      `Region must be '${region}', the region of the request.`,
    );
  }
}
