import { GoogleErrors } from '@gke-emulator/common';
import type { KindRequest, LoadBalancingKind, PreparedResource } from '../load-balancing-kind';
import { enumField, present } from './kind-fields';
import { BACKEND_BUCKET } from '../../shared/wire-schemas.generated';

/** A Cloud Storage bucket name: 3–63 characters (222 with dots), lowercase letters, digits, `-`, `_` and `.`. */
const BUCKET_NAME = /^[a-z0-9][-_.a-z0-9]{1,220}[a-z0-9]$/;

function prepare({ body }: KindRequest): Promise<PreparedResource> {
  const bucket = body['bucketName'];
  if (typeof bucket !== 'string' || bucket === '') throw GoogleErrors.required('resource.bucketName');
  if (!BUCKET_NAME.test(bucket)) {
    throw GoogleErrors.invalidFieldValue('resource.bucketName', bucket, 'Invalid bucket name.');
  }
  const compression = enumField(body, 'compressionMode', ['AUTOMATIC', 'DISABLED']);
  return Promise.resolve({
    fields: {
      ...present(body, [
        'description',
        'cdnPolicy',
        'customResponseHeaders',
        'edgeSecurityPolicy',
        'loadBalancingScheme',
      ]),
      bucketName: bucket,
      // Google returns `enableCdn: false` when it was not asked for (recorded).
      enableCdn: body['enableCdn'] === true,
      ...(compression === undefined ? {} : { compressionMode: compression }),
    },
    // The bucket lives in Cloud Storage, which the emulator does not serve: it is kept as a name.
    references: [],
  });
}

/**
 * Backend buckets (`backendBuckets`, global): a Cloud Storage bucket a URL map can route to. Reads show the URL
 * maps that use one (`usedBy`), and a bucket in use cannot be deleted.
 */
export const BACKEND_BUCKETS: LoadBalancingKind = {
  collection: 'backendBuckets',
  wireKind: 'compute#backendBucket',
  resourceNoun: 'backend_bucket',
  scopes: 'global',
  patchable: true,
  updatable: true,
  showsUsedBy: true,
  schema: BACKEND_BUCKET,
  prepare,
};
