import { Injectable } from '@nestjs/common';
import { GoogleErrors, relativeReference } from '@gke-emulator/common';
import type { ComputeContext } from '../shared/compute-context';
import type { LoadBalancingRecord, ReferenceResolver } from './load-balancing-kind';
import { LoadBalancingRepository } from './load-balancing.repository';

const SCOPED = /^projects\/([^/]+)\/(?:global|regions\/([^/]+))\/([A-Za-z]+)\/([^/]+)$/;

interface ParsedLink {
  relative: string;
  project: string;
  scope: string;
  collection: string;
  name: string;
}

/**
 * Resolves the links of a request body (full URLs, partial paths, or bare names taken in the request's own scope)
 * to stored resources of the caller's project, answering Google's errors when they are malformed or absent.
 */
@Injectable()
export class ReferenceResolverFactory {
  constructor(private readonly loadBalancing: LoadBalancingRepository) {}

  create(ctx: ComputeContext, scope: string): ReferenceResolver {
    const parse = (link: string, field: string, collections: readonly string[]): ParsedLink => {
      const bareScope = scope === 'global' ? 'global' : `regions/${scope}`;
      const relative = relativeReference(ctx.project, link, `${bareScope}/${collections[0]}`);
      const match = relative?.match(SCOPED);
      if (!relative || !match || !collections.includes(match[3] as string)) {
        throw GoogleErrors.invalidFieldValue(
          field,
          link,
          `Must be a link to one of: ${collections.join(', ')}.`,
        );
      }
      if (match[1] !== ctx.project) {
        throw GoogleErrors.invalidFieldValue(
          field,
          link,
          'Cross-project references for this resource type are not allowed.',
        );
      }
      return {
        relative,
        project: match[1],
        scope: match[2] ?? 'global',
        collection: match[3] as string,
        name: match[4] as string,
      };
    };
    /** The row found, or Google's 404 naming the link. */
    const found = <T>(row: T | null, relative: string): T => {
      if (row === null) throw GoogleErrors.notFound(relative);
      return row;
    };

    return {
      loadBalancing: async (kinds, link, field): Promise<LoadBalancingRecord> => {
        const parsed = parse(link, field, kinds);
        const record = await this.loadBalancing.find(
          ctx.project,
          parsed.collection,
          parsed.scope,
          parsed.name,
        );
        if (!record) throw GoogleErrors.notFound(parsed.relative);
        return record;
      },
      address: async (link, field) => {
        const parsed = parse(link, field, ['addresses']);
        const row = found(
          await this.loadBalancing.findAddress(ctx.project, parsed.scope, parsed.name),
          parsed.relative,
        );
        return { id: BigInt(row.id), address: row.address, resource: row.resource };
      },
      network: async (link, field) => {
        const relative = relativeReference(ctx.project, link, 'global/networks');
        const match = relative?.match(/^projects\/([^/]+)\/global\/networks\/([^/]+)$/);
        if (!relative || !match) throw GoogleErrors.invalidFieldValue(field, link, 'Must be a network link.');
        const id = found(
          await this.loadBalancing.findNetworkId(match[1] as string, match[2] as string),
          relative,
        );
        return { id: BigInt(id), link: relative };
      },
      subnetwork: async (link, field) => {
        const parsed = parse(link, field, ['subnetworks']);
        const row = found(
          await this.loadBalancing.findSubnetwork(ctx.project, parsed.scope, parsed.name),
          parsed.relative,
        );
        return { id: BigInt(row.id), link: parsed.relative, networkLink: row.network, region: parsed.scope };
      },
      securityPolicy: async (link, field) => {
        // A global policy (`global/securityPolicies/N`, or a bare name) or a regional one (`regions/R/…`).
        const relative = relativeReference(ctx.project, link, 'global/securityPolicies');
        const match = relative?.match(
          /^projects\/([^/]+)\/(?:global|regions\/([^/]+))\/securityPolicies\/([^/]+)$/,
        );
        if (!relative || !match)
          throw GoogleErrors.invalidFieldValue(field, link, 'Must be a security policy link.');
        const id = found(
          await this.loadBalancing.findSecurityPolicyId(
            match[1] as string,
            match[2] ?? 'global',
            match[3] as string,
          ),
          relative,
        );
        return { id: BigInt(id), link: relative };
      },
      instanceGroup: async (relativeLink) => {
        const match = relativeLink.match(/^projects\/([^/]+)\/zones\/([^/]+)\/instanceGroups\/([^/]+)$/);
        if (!match || match[1] !== ctx.project) return undefined;
        const id = await this.loadBalancing.findInstanceGroupId(
          match[1],
          match[2] as string,
          match[3] as string,
        );
        return id === null ? undefined : { id: BigInt(id) };
      },
    };
  }
}
