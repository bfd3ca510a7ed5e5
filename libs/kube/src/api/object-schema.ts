import type { FieldSchema, ObjectSchema } from './field-schema';
import { KUBE_SCHEMAS, KUBE_SUBRESOURCE_SCHEMAS } from './kube-schemas.generated';

export type { FieldSchema, ObjectSchema } from './field-schema';

/**
 * The shape of the kinds served. Kubernetes' own kinds are generated from the OpenAPI v3 documents of the version
 * the emulator reports (tools/gen-kube-schemas.mjs → kube-schemas.generated.ts). BackendConfig is GKE's custom
 * resource (cloud.google.com/v1), absent from Kubernetes' documents: its fields the emulator reads are typed here,
 * the rest is free-form as its CRD's schema leaves it to the ingress controller.
 */
const string: FieldSchema = { type: 'string' };
const integer: FieldSchema = { type: 'integer' };
const boolean: FieldSchema = { type: 'boolean' };
const any: FieldSchema = { type: 'any' };

function object(name: string, fields: Record<string, FieldSchema>): ObjectSchema {
  return { type: 'object', name, fields };
}

const objectMeta = (KUBE_SCHEMAS['pods'] as ObjectSchema).fields['metadata'] as ObjectSchema;

export const SCHEMAS: Readonly<Record<string, ObjectSchema>> = {
  ...KUBE_SCHEMAS,
  backendconfigs: object('BackendConfig', {
    apiVersion: string,
    kind: string,
    metadata: objectMeta,
    spec: object('BackendConfigSpec', {
      securityPolicy: object('SecurityPolicyConfig', { name: string }),
      iap: object('IAPConfig', {
        enabled: boolean,
        oauthclientCredentials: object('OAuthClientCredentials', { secretName: string }),
      }),
      timeoutSec: integer,
      connectionDraining: object('ConnectionDrainingConfig', { drainingTimeoutSec: integer }),
      sessionAffinity: any,
      healthCheck: any,
      cdn: any,
      logging: any,
      customRequestHeaders: any,
      customResponseHeaders: any,
    }),
  }),
};

/** The Scale subresource (autoscaling/v1). */
export const SCALE_SCHEMA = KUBE_SUBRESOURCE_SCHEMAS['scale'] as ObjectSchema;

/** The schema of a field inside an object, following a path of keys; `undefined` when unknown or free-form. */
export function childSchema(schema: FieldSchema | undefined, key: string): FieldSchema | undefined {
  if (!schema) return undefined;
  if (schema.type === 'object') return schema.fields[key];
  if (schema.type === 'map') return schema.values;
  return undefined;
}
