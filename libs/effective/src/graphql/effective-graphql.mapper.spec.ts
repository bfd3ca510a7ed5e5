import { describe, expect, it } from 'vitest';
import { vpc } from '@gke-emulator/dataplane';
import {
  toFirewallRuleModel,
  toInactiveRouteModel,
  toPolicyDirectionModel,
  toRouteModel,
} from './effective-graphql.mapper';

const NETWORK = 'projects/p/global/networks/vpc';
const BASE = 'http://127.0.0.1:8085/compute/v1/';
const instance: vpc.VpcInstance = { name: 'n', network: NETWORK, tags: ['web'], ipAddresses: ['10.0.0.2'] };

describe('effective-state GraphQL mapping', () => {
  it('maps a routing table, stored as JSON, to routes with CIDR text and next-hop labels', () => {
    const table = vpc.buildRoutingTable(
      [
        {
          name: 'default-route',
          network: NETWORK,
          destRange: '0.0.0.0/0',
          nextHopGateway: 'global/gateways/default-internet-gateway',
        },
        {
          name: 'to-appliance',
          network: NETWORK,
          destRange: '192.168.0.0/16',
          priority: 100,
          tags: ['web'],
          nextHopIp: '10.0.0.9',
        },
        {
          name: 'other-tag',
          network: NETWORK,
          destRange: '172.16.0.0/12',
          tags: ['db'],
          nextHopIp: '10.0.0.9',
        },
      ],
      instance,
    );
    const stored = JSON.parse(JSON.stringify(table)) as vpc.InstanceRoutingTable;
    const routes = stored.routes.map((route) => toRouteModel(route, BASE));
    expect(routes.map((route) => [route.name, route.destRange, route.priority, route.nextHopKind])).toEqual([
      ['to-appliance', '192.168.0.0/16', 100, 'ip'],
      ['default-route', '0.0.0.0/0', 1000, 'internet-gateway'],
    ]);
    expect(routes[0]?.nextHop).toBe('10.0.0.9');
    expect(routes[0]?.resource).toMatchObject({ name: 'to-appliance', tags: ['web'] });
  });

  it("renders the wire objects' links in full on the client's base, as Compute's reads do", () => {
    const table = vpc.buildRoutingTable(
      [
        {
          name: 'default-route',
          network: NETWORK,
          destRange: '0.0.0.0/0',
          nextHopGateway: 'projects/p/global/gateways/default-internet-gateway',
          selfLink: 'projects/p/global/routes/default-route',
        } as vpc.Route,
      ],
      instance,
    );
    const [route] = table.routes.map((r) => toRouteModel(r, BASE));
    expect(route?.resource).toMatchObject({
      selfLink: `${BASE}projects/p/global/routes/default-route`,
      network: `${BASE}${NETWORK}`,
      nextHopGateway: `${BASE}projects/p/global/gateways/default-internet-gateway`,
    });
    const firewall = vpc.buildInstanceFirewall(
      {
        firewalls: [
          {
            name: 'web',
            network: NETWORK,
            sourceRanges: ['10.0.0.0/8'],
            allowed: [{ IPProtocol: 'tcp' }],
            selfLink: 'projects/p/global/firewalls/web',
          } as vpc.FirewallRule,
        ],
      },
      instance,
    );
    const [web] = firewall.rules.map((rule) => toFirewallRuleModel(rule, BASE));
    expect(web?.resource).toMatchObject({
      selfLink: `${BASE}projects/p/global/firewalls/web`,
      network: `${BASE}${NETWORK}`,
    });
    const relative = 'projects/p/zones/us-central1-a/instances/gone';
    expect(
      toInactiveRouteModel(
        {
          name: 'via-gone',
          destRange: '192.168.0.0/16',
          nextHopInstance: relative,
          warnings: [
            {
              code: 'NEXT_HOP_INSTANCE_NOT_FOUND',
              message: `Next hop instance '${relative}' does not exist.`,
            },
          ],
        },
        BASE,
      ),
    ).toEqual({
      name: 'via-gone',
      destRange: '192.168.0.0/16',
      nextHopInstance: `${BASE}${relative}`,
      warnings: [
        {
          code: 'NEXT_HOP_INSTANCE_NOT_FOUND',
          message: `Next hop instance '${BASE}${relative}' does not exist.`,
        },
      ],
    });
  });

  it('maps firewall rules: ranges as text, protocols by name, port ranges, implied rules without a resource', () => {
    const firewall = vpc.buildInstanceFirewall(
      {
        firewalls: [
          {
            name: 'web',
            network: NETWORK,
            sourceRanges: ['10.4.0.0/14', '203.0.113.0/24'],
            sourceTags: ['lb'],
            destinationRanges: ['10.0.0.0/24'],
            allowed: [
              { IPProtocol: 'tcp', ports: ['80', '8000-8080'] },
              { IPProtocol: 'icmp' },
              { IPProtocol: '47' },
            ],
          },
        ],
      },
      instance,
    );
    const stored = JSON.parse(JSON.stringify(firewall)) as vpc.InstanceFirewall;
    const [web, ...implied] = stored.rules.map((rule) => toFirewallRuleModel(rule, BASE));
    expect(web).toEqual({
      name: 'web',
      origin: 'vpc-rule',
      direction: 'INGRESS',
      priority: 1000,
      action: 'allow',
      remoteRanges: ['10.4.0.0/14', '203.0.113.0/24'],
      remoteTags: ['lb'],
      remoteServiceAccounts: [],
      localRanges: ['10.0.0.0/24'],
      protocols: [
        { protocol: 'tcp', ports: ['80', '8000-8080'] },
        { protocol: 'icmp', ports: null },
        { protocol: '47', ports: null },
      ],
      resource: expect.objectContaining({ name: 'web' }),
    });
    expect(
      implied.map((rule) => [rule.name, rule.action, rule.protocols, rule.localRanges, rule.resource]),
    ).toEqual([
      ['implied-deny-ingress', 'deny', [{ protocol: 'all', ports: null }], null, null],
      ['implied-allow-egress', 'allow', [{ protocol: 'all', ports: null }], null, null],
    ]);
  });

  it('names the policies of a direction namespace/name', () => {
    expect(
      toPolicyDirectionModel({
        isolated: true,
        policies: [{ namespace: 'default', name: 'only-clients' }],
        rules: [],
      }),
    ).toEqual({ isolated: true, policies: ['default/only-clients'], rules: [] });
  });
});
