import { cause, type StatusCause } from './kube-status';
import { isPlainObject, type KubeObject } from './kube-object';

/**
 * events.k8s.io/v1 Event, served from the same storage as core/v1 Event (as the API server does: one internal
 * type, two versions). The field mapping is the API server's conversion (pkg/apis/events/v1):
 *
 *   events.k8s.io/v1            core/v1
 *   note                        message
 *   regarding                   involvedObject
 *   related                     related
 *   reportingController         reportingComponent
 *   reportingInstance           reportingInstance
 *   deprecatedSource            source
 *   deprecatedFirstTimestamp    firstTimestamp
 *   deprecatedLastTimestamp     lastTimestamp
 *   deprecatedCount             count
 *   series {count, lastObservedTime}, action, reason, type, eventTime: the same names
 */
const RENAMES: readonly (readonly [v1: string, core: string])[] = [
  ['note', 'message'],
  ['regarding', 'involvedObject'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];
const SAME = ['eventTime', 'series', 'related', 'action', 'reason', 'type', 'reportingInstance'];

export const EVENTS_V1_API_VERSION = 'events.k8s.io/v1';

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '' && value !== 0;
}

/**
 * A stored (core/v1) Event as events.k8s.io/v1 serves it: renamed fields, empty ones omitted (`omitempty`) but
 * `eventTime` (always written, `null` when unset) and `deprecatedSource` (a struct: `{}` when empty).
 */
export function eventToV1(event: KubeObject): KubeObject {
  const out: KubeObject = { apiVersion: EVENTS_V1_API_VERSION, kind: 'Event', metadata: event.metadata };
  out['eventTime'] = event['eventTime'] ?? null;
  for (const key of SAME) {
    if (key !== 'eventTime' && present(event[key])) out[key] = event[key];
  }
  for (const [v1, core] of RENAMES) {
    if (v1 === 'deprecatedSource') out[v1] = isPlainObject(event[core]) ? event[core] : {};
    else if (present(event[core])) out[v1] = event[core];
  }
  return out;
}

/**
 * An events.k8s.io/v1 Event (a request body) as core/v1 stores it. Core/v1's own names (`message`,
 * `involvedObject` …) are no fields of events.k8s.io/v1: they are left out and returned as unknown fields, for
 * `fieldValidation` to judge as it judges any other.
 */
export function eventFromV1(event: Record<string, unknown>): {
  object: Record<string, unknown>;
  unknownFields: string[];
} {
  const object: Record<string, unknown> = {};
  const unknownFields: string[] = [];
  const renamedV1 = new Set(RENAMES.map(([v1]) => v1));
  const coreNames = new Set(RENAMES.map(([, core]) => core));
  for (const [key, value] of Object.entries(event)) {
    if (key === 'apiVersion') object[key] = value === EVENTS_V1_API_VERSION ? 'v1' : value;
    else if (coreNames.has(key)) unknownFields.push(key);
    else if (!renamedV1.has(key)) object[key] = value;
  }
  for (const [v1, core] of RENAMES) {
    if (event[v1] !== undefined) object[core] = event[v1];
  }
  return { object, unknownFields };
}

/**
 * A core/v1 Event's fields in events.k8s.io/v1's names, renamed only (nothing defaulted, nothing omitted): an
 * applied configuration in the names its manager wrote, for its managed fields.
 */
export function eventFieldsToV1(event: Record<string, unknown>): Record<string, unknown> {
  const coreToV1 = new Map(RENAMES.map(([v1, core]) => [core, v1]));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event))
    out[coreToV1.get(key) ?? key] = key === 'apiVersion' ? EVENTS_V1_API_VERSION : value;
  return out;
}

/** A managed-fields set (`fieldsV1`) of events.k8s.io/v1 in core/v1's names: its top-level fields renamed. */
export function eventFieldsV1ToCore(fields: Record<string, unknown>): Record<string, unknown> {
  const v1ToCore = new Map(RENAMES.map(([v1, core]) => [`f:${v1}`, `f:${core}`]));
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [v1ToCore.get(key) ?? key, value]));
}

const REQUIRED = 'Required value';
const invalid = (path: string, detail: string): StatusCause =>
  cause('FieldValueInvalid', path, `Invalid value: "": ${detail}`);
const required = (path: string): StatusCause => cause('FieldValueRequired', path, REQUIRED);

/**
 * What the API server checks of an Event created through events.k8s.io/v1 (ValidateEventCreate, strict for that
 * version), on the events.k8s.io field names: an event time, a known type, the deprecated fields unset, the
 * reporting controller, instance, action and reason given, and the length limits.
 */
export function validateEventV1Create(event: Record<string, unknown>): StatusCause[] {
  const causes: StatusCause[] = [];
  const text = (key: string) => (typeof event[key] === 'string' ? (event[key] as string) : '');
  if (!present(event['eventTime'])) causes.push(required('eventTime'));
  const type = text('type');
  if (type !== 'Normal' && type !== 'Warning') causes.push(invalid('type', `has invalid value: ${type}`));
  for (const key of ['deprecatedFirstTimestamp', 'deprecatedLastTimestamp', 'deprecatedCount']) {
    if (present(event[key])) causes.push(invalid(key, 'needs to be unset'));
  }
  const source = event['deprecatedSource'];
  if (isPlainObject(source) && (present(source['component']) || present(source['host'])))
    causes.push(invalid('deprecatedSource', 'needs to be unset'));
  if (!text('reportingController')) causes.push(required('reportingController'));
  if (!text('reportingInstance')) causes.push(required('reportingInstance'));
  else if (text('reportingInstance').length > 128)
    causes.push(invalid('reportingInstance', 'can have at most 128 characters'));
  if (!text('action')) causes.push(required('action'));
  else if (text('action').length > 128) causes.push(invalid('action', 'can have at most 128 characters'));
  if (!text('reason')) causes.push(required('reason'));
  else if (text('reason').length > 128) causes.push(invalid('reason', 'can have at most 128 characters'));
  if (text('note').length > 1024) causes.push(invalid('note', 'can have at most 1024 characters'));
  return causes;
}

/** events.k8s.io/v1's field selector labels in core/v1's names (`regarding.name` → `involvedObject.name`, …). */
export function fieldSelectorFromV1(selector: string | undefined): string | undefined {
  if (!selector) return selector;
  return selector
    .split(',')
    .map((term) => {
      const match = /^(\s*)([A-Za-z.]+)(\s*(?:!=|==|=).*)$/s.exec(term);
      if (!match) return term;
      const [, space, label, rest] = match as unknown as [string, string, string, string];
      const renamed =
        label === 'reportingController'
          ? 'reportingComponent'
          : label.startsWith('regarding.')
            ? `involvedObject.${label.slice('regarding.'.length)}`
            : label.startsWith('deprecatedSource')
              ? `source${label.slice('deprecatedSource'.length)}`
              : label;
      return `${space}${renamed}${rest}`;
    })
    .join(',');
}
