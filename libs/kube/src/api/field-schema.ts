/**
 * The shape of a field, as much as strict field validation, strategic merge patch and server-side apply need: its
 * JSON type (with Go's integer width: `integer` is int32, `int64` int64), and for lists their strategic-merge key
 * (`patchMergeKey`, when the patch strategy is `merge`). `any` is free-form (FieldsV1, RawExtension).
 */
export type FieldSchema =
  | {
      type:
        'string' | 'integer' | 'int64' | 'number' | 'boolean' | 'intOrString' | 'quantity' | 'any' | 'time';
    }
  | { type: 'map'; values: FieldSchema }
  | { type: 'object'; name: string; fields: Record<string, FieldSchema>; retainKeys?: boolean }
  | { type: 'list'; items: FieldSchema; mergeKey?: string; setOfScalars?: boolean };

export type ObjectSchema = Extract<FieldSchema, { type: 'object' }>;
