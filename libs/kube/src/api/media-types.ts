/** How a response is to be rendered, from the Accept header (kubectl asks for Tables; protobuf falls back to JSON). */
export type ResponseShape = 'object' | 'table' | 'partialMetadata';

export function responseShape(accept: string | undefined): ResponseShape {
  if (!accept) return 'object';
  for (const entry of accept.split(',')) {
    const [type, ...parameterTexts] = entry.split(';').map((part) => part.trim());
    const parameters = Object.fromEntries(
      parameterTexts.map((p) => p.split('=').map((s) => s.trim()) as [string, string]),
    );
    if (type !== 'application/json' && type !== '*/*' && type !== 'application/*') continue;
    if (!parameters['as']) return 'object';
    if (parameters['g'] !== 'meta.k8s.io' || !['v1', 'v1beta1'].includes(parameters['v'] ?? '')) continue;
    if (parameters['as'] === 'Table') return 'table';
    if (parameters['as'] === 'PartialObjectMetadata' || parameters['as'] === 'PartialObjectMetadataList')
      return 'partialMetadata';
  }
  return 'object';
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim();
  switch (type) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return 'apply';
    default:
      return undefined;
  }
}
