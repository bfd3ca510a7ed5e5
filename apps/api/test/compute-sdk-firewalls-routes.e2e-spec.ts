import { FirewallsClient, NetworksClient, RoutesClient, SubnetworksClient } from '@google-cloud/compute';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeClientOptions, startTestApp, type TestApp } from '@gke-emulator/testing';
import { googleError, slowOperationsProject } from './support/compute-sdk';

/**
 * Firewall rules and routes driven by the official Node.js client (@google-cloud/compute, REST transport) against
 * the emulator. Operations of each project stay RUNNING for 200 ms, so the clients' polling is exercised.
 */

let app: TestApp;
let options: ConstructorParameters<typeof NetworksClient>[0];
beforeAll(async () => {
  app = await startTestApp();
  options = computeClientOptions(app);
});
afterAll(async () => {
  await app?.close();
});

/** A project whose operations stay RUNNING for 200 ms, with the clients the tests use. */
async function setup() {
  return {
    ...(await slowOperationsProject(app, 'sdk-fw', 200)),
    networks: new NetworksClient(options),
    subnetworks: new SubnetworksClient(options),
    firewalls: new FirewallsClient(options),
    routes: new RoutesClient(options),
  };
}

describe('@google-cloud/compute firewalls and routes (REST, PassThroughClient)', () => {
  it('runs firewall rules through insert, get, listAsync, patch, update, getEffectiveFirewalls and delete', async () => {
    const { project, link, networks, firewalls, waitGlobal } = await setup();
    expect(
      (
        await waitGlobal(
          await networks.insert({ project, networkResource: { name: 'vpc', autoCreateSubnetworks: false } }),
        )
      ).error,
    ).toBeFalsy();
    const network = link('global/networks/vpc');

    const inserted = await waitGlobal(
      await firewalls.insert({
        project,
        firewallResource: {
          name: 'allow-ssh',
          network: `projects/${project}/global/networks/vpc`,
          allowed: [{ IPProtocol: 'tcp', ports: ['22', '2222-2230'] }],
          sourceRanges: ['35.235.240.0/20'],
          targetTags: ['ssh'],
        },
      }),
    );
    expect(inserted).toMatchObject({
      operationType: 'insert',
      targetLink: link('global/firewalls/allow-ssh'),
    });
    expect(inserted.error).toBeFalsy();
    await waitGlobal(
      await firewalls.insert({
        project,
        firewallResource: {
          name: 'deny-egress',
          network,
          direction: 'EGRESS',
          priority: 65534,
          denied: [{ IPProtocol: 'all' }],
          logConfig: { enable: true, metadata: 'EXCLUDE_ALL_METADATA' },
        },
      }),
    );

    const [ssh] = await firewalls.get({ project, firewall: 'allow-ssh' });
    expect(ssh).toMatchObject({
      kind: 'compute#firewall',
      name: 'allow-ssh',
      network,
      priority: 1000,
      direction: 'INGRESS',
      allowed: [{ IPProtocol: 'tcp', ports: ['22', '2222-2230'] }],
      sourceRanges: ['35.235.240.0/20'],
      targetTags: ['ssh'],
      disabled: false,
      logConfig: { enable: false },
      selfLink: link('global/firewalls/allow-ssh'),
    });
    expect(ssh.denied).toEqual([]);
    expect(ssh.id).toMatch(/^\d+$/);
    const [egress] = await firewalls.get({ project, firewall: 'deny-egress' });
    expect(egress).toMatchObject({
      direction: 'EGRESS',
      priority: 65534,
      denied: [{ IPProtocol: 'all' }],
      destinationRanges: ['0.0.0.0/0'],
      logConfig: { enable: true, metadata: 'EXCLUDE_ALL_METADATA' },
    });
    expect(egress.sourceRanges).toEqual([]);

    const names = async (filter?: string) => {
      const listed: string[] = [];
      for await (const rule of firewalls.listAsync({ project, ...(filter ? { filter } : {}) })) {
        listed.push(String(rule.name));
      }
      return listed;
    };
    expect(await names()).toEqual(['allow-ssh', 'deny-egress']);
    expect(await names('direction = "EGRESS"')).toEqual(['deny-egress']);
    expect(await names('priority < 2000')).toEqual(['allow-ssh']);

    // PATCH merges: the given fields change, the others stay.
    const patched = await waitGlobal(
      await firewalls.patch({
        project,
        firewall: 'allow-ssh',
        firewallResource: { priority: 900, sourceRanges: ['10.0.0.0/8'], disabled: true },
      }),
    );
    expect(patched).toMatchObject({ operationType: 'patch', targetLink: link('global/firewalls/allow-ssh') });
    const [afterPatch] = await firewalls.get({ project, firewall: 'allow-ssh' });
    expect(afterPatch).toMatchObject({
      priority: 900,
      sourceRanges: ['10.0.0.0/8'],
      disabled: true,
      allowed: [{ IPProtocol: 'tcp', ports: ['22', '2222-2230'] }],
      targetTags: ['ssh'],
      id: ssh.id,
    });

    // PUT (update) replaces: what the body leaves out goes back to Google's defaults.
    const updated = await waitGlobal(
      await firewalls.update({
        project,
        firewall: 'allow-ssh',
        firewallResource: { name: 'allow-ssh', network, allowed: [{ IPProtocol: 'udp', ports: ['53'] }] },
      }),
    );
    expect(updated.operationType).toBe('update');
    const [afterUpdate] = await firewalls.get({ project, firewall: 'allow-ssh' });
    expect(afterUpdate).toMatchObject({
      priority: 1000,
      direction: 'INGRESS',
      allowed: [{ IPProtocol: 'udp', ports: ['53'] }],
      sourceRanges: ['0.0.0.0/0'],
      disabled: false,
      id: ssh.id,
    });
    expect(afterUpdate.targetTags).toEqual([]);

    // The network's rules in evaluation order.
    const [effective] = await networks.getEffectiveFirewalls({ project, network: 'vpc' });
    expect(effective.firewalls?.map((f) => [f.name, f.priority])).toEqual([
      ['allow-ssh', 1000],
      ['deny-egress', 65534],
    ]);

    for (const firewall of ['allow-ssh', 'deny-egress']) {
      const deleted = await waitGlobal(await firewalls.delete({ project, firewall }));
      expect(deleted).toMatchObject({
        operationType: 'delete',
        targetLink: link(`global/firewalls/${firewall}`),
      });
      expect(deleted.error).toBeFalsy();
    }
    expect(await names()).toEqual([]);
    const [none] = await networks.getEffectiveFirewalls({ project, network: 'vpc' });
    expect(none.firewalls ?? []).toEqual([]);
  });

  it('surfaces firewall errors as rejected promises with Google messages', async () => {
    const { project, networks, firewalls, waitGlobal } = await setup();
    await waitGlobal(
      await networks.insert({ project, networkResource: { name: 'vpc', autoCreateSubnetworks: false } }),
    );
    const network = `projects/${project}/global/networks/vpc`;
    const prio = await googleError(
      firewalls.insert({
        project,
        firewallResource: { name: 'prio', network, priority: 70000, allowed: [{ IPProtocol: 'tcp' }] },
      }),
    );
    expect.soft(prio.status).toBe(400);
    expect
      .soft(prio.message)
      .toContain("Invalid value for field 'resource.priority': '70000'. Must be less than or equal to 65535");
    // The protocol list as Google words it (compute API answer to an unknown protocol name).
    const protocol = await googleError(
      firewalls.insert({
        project,
        firewallResource: {
          name: 'v6',
          network,
          sourceRanges: ['::/0'],
          allowed: [{ IPProtocol: 'ipv6-icmp' }],
        },
      }),
    );
    expect.soft(protocol.status).toBe(400);
    expect
      .soft(protocol.message)
      .toBe(
        "Invalid value for field 'resource.allowed[0].IPProtocol': 'ipv6-icmp'. Must be one of " +
          '["ah", "all", "esp", "icmp", "ipip", "sctp", "tcp", "udp"] or an IP protocol number between 0 and 255.',
      );
    const missing = await googleError(firewalls.get({ project, firewall: 'missing' }));
    expect.soft(missing).toEqual({
      status: 404,
      message: `The resource 'projects/${project}/global/firewalls/missing' was not found`,
    });

    // A rule holds its network: Google refuses the delete at once (400 resourceInUseByAnotherResource).
    await waitGlobal(
      await firewalls.insert({
        project,
        firewallResource: { name: 'keep', network, allowed: [{ IPProtocol: 'tcp' }] },
      }),
    );
    await expect(networks.delete({ project, network: 'vpc' })).rejects.toThrow(
      `The network resource '${network}' is already being used by 'projects/${project}/global/firewalls/keep'`,
    );
  });

  it('runs routes through insert, get, listAsync and delete, beside the default and subnet routes', async () => {
    const { project, link, networks, subnetworks, routes, waitGlobal, waitRegion } = await setup();
    await waitGlobal(
      await networks.insert({ project, networkResource: { name: 'vpc', autoCreateSubnetworks: false } }),
    );
    const network = link('global/networks/vpc');
    await waitRegion(
      await subnetworks.insert({
        project,
        region: 'us-central1',
        subnetworkResource: {
          name: 'nodes',
          network,
          ipCidrRange: '10.10.0.0/24',
          secondaryIpRanges: [{ rangeName: 'pods', ipCidrRange: '10.20.0.0/16' }],
        },
      }),
      'us-central1',
    );

    const inserted = await waitGlobal(
      await routes.insert({
        project,
        routeResource: {
          name: 'via-nat',
          network,
          destRange: '0.0.0.0/0',
          priority: 800,
          tags: ['no-ip'],
          nextHopIp: '10.10.0.9',
        },
      }),
    );
    expect(inserted).toMatchObject({ operationType: 'insert', targetLink: link('global/routes/via-nat') });
    expect(inserted.error).toBeFalsy();
    await waitGlobal(
      await routes.insert({
        project,
        routeResource: {
          name: 'to-google',
          network: `projects/${project}/global/networks/vpc`,
          destRange: '199.36.153.8/30',
          nextHopGateway: `projects/${project}/global/gateways/default-internet-gateway`,
        },
      }),
    );

    const [nat] = await routes.get({ project, route: 'via-nat' });
    expect(nat).toMatchObject({
      kind: 'compute#route',
      name: 'via-nat',
      network,
      destRange: '0.0.0.0/0',
      priority: 800,
      tags: ['no-ip'],
      nextHopIp: '10.10.0.9',
      selfLink: link('global/routes/via-nat'),
    });
    // Google returns no routeType for a user's static route (as recorded); its default route says STATIC.
    expect(nat.routeType ?? null).toBeNull();
    expect(nat.nextHopGateway ?? null).toBeNull();
    const [google] = await routes.get({ project, route: 'to-google' });
    expect(google).toMatchObject({
      priority: 1000,
      nextHopGateway: link('global/gateways/default-internet-gateway'),
    });
    expect(google.routeType ?? null).toBeNull();
    expect(google.tags).toEqual([]);

    const list = async (filter?: string) => {
      const listed: { name: string; destRange: string; priority: number; routeType: string }[] = [];
      for await (const route of routes.listAsync({ project, ...(filter ? { filter } : {}) })) {
        listed.push({
          name: String(route.name),
          destRange: String(route.destRange),
          priority: Number(route.priority),
          routeType: route.routeType ?? '(none)',
        });
      }
      return listed;
    };
    const all = await list();
    expect(all.map((r) => [r.destRange, r.priority, r.routeType]).sort()).toEqual([
      ['0.0.0.0/0', 1000, 'STATIC'],
      ['0.0.0.0/0', 800, '(none)'],
      ['10.10.0.0/24', 0, 'SUBNET'],
      ['10.20.0.0/16', 0, 'SUBNET'],
      ['199.36.153.8/30', 1000, '(none)'],
    ]);
    expect((await list('routeType = "SUBNET"')).map((r) => r.destRange).sort()).toEqual([
      '10.10.0.0/24',
      '10.20.0.0/16',
    ]);
    const defaults = await list('name eq default-route-.*');
    expect(defaults).toHaveLength(3);
    expect(await list('priority = 800')).toEqual([
      { name: 'via-nat', destRange: '0.0.0.0/0', priority: 800, routeType: '(none)' },
    ]);

    for (const route of ['via-nat', 'to-google']) {
      const deleted = await waitGlobal(await routes.delete({ project, route }));
      expect(deleted).toMatchObject({ operationType: 'delete', targetLink: link(`global/routes/${route}`) });
      expect(deleted.error).toBeFalsy();
    }
    expect((await list()).map((r) => r.name).sort()).toEqual(defaults.map((r) => r.name).sort());
  });

  it('surfaces route errors as rejected promises with Google messages, and a route holds its network', async () => {
    const { project, networks, subnetworks, routes, waitGlobal, waitRegion } = await setup();
    await waitGlobal(
      await networks.insert({ project, networkResource: { name: 'vpc', autoCreateSubnetworks: false } }),
    );
    const network = `projects/${project}/global/networks/vpc`;
    await waitRegion(
      await subnetworks.insert({
        project,
        region: 'us-central1',
        subnetworkResource: { name: 'nodes', network, ipCidrRange: '10.10.0.0/24' },
      }),
      'us-central1',
    );
    // A static route may not take over part of a subnet's range (Google's words, reason `invalid`).
    const inside = await googleError(
      routes.insert({
        project,
        routeResource: {
          name: 'inside',
          network,
          destRange: '10.10.0.128/25',
          nextHopGateway: 'global/gateways/default-internet-gateway',
        },
      }),
    );
    expect.soft(inside.status).toBe(400);
    expect
      .soft(inside.message)
      .toBe(
        "Invalid value for field 'resource.destRange': '10.10.0.128/25'. 10.10.0.128/25 hides the address space " +
          'of the network (10.10.0.0/24). Cannot change the routing of packets destined for the network.',
      );
    const missing = await googleError(routes.get({ project, route: 'missing' }));
    expect.soft(missing).toEqual({
      status: 404,
      message: `The resource 'projects/${project}/global/routes/missing' was not found`,
    });

    await waitGlobal(
      await routes.insert({
        project,
        routeResource: {
          name: 'mine',
          network,
          destRange: '8.8.8.0/24',
          nextHopGateway: 'global/gateways/default-internet-gateway',
        },
      }),
    );
    await waitRegion(
      await subnetworks.delete({ project, region: 'us-central1', subnetwork: 'nodes' }),
      'us-central1',
    );
    await expect(networks.delete({ project, network: 'vpc' })).rejects.toThrow(
      `The network resource '${network}' is already being used by 'projects/${project}/global/routes/mine'`,
    );
    await waitGlobal(await routes.delete({ project, route: 'mine' }));
    const deleted = await waitGlobal(await networks.delete({ project, network: 'vpc' }));
    expect(deleted.error).toBeFalsy();
    // The default internet route went with its network.
    const left: string[] = [];
    for await (const route of routes.listAsync({ project })) left.push(String(route.name));
    expect(left).toEqual([]);
  });
});
