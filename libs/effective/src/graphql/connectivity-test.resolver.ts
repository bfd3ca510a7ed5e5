import { Args, Int, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { ConnectivityTestService } from '../network-management/connectivity-test.service';
import {
  type ConnectivityTestSpec,
  type HttpRequestSpec,
  NetworkManagementErrors,
  validateSpec,
} from '../network-management/connectivity-test.wire';
import { ConnectivityTestEvents } from './connectivity-test.events';
import {
  toConnectivityTestModel,
  toReachabilityDetailsModel,
  type ConnectivityTestResource,
} from './connectivity-test.mapper';
import {
  ConnectivityEndpointInput,
  ConnectivityTestChangeModel,
  ConnectivityTestInput,
  ConnectivityTestModel,
  HttpRequestInput,
  ReachabilityDetailsModel,
} from './connectivity-test.models';

const PROJECT = { description: 'The Google Cloud project ID.' };
const TEST = {
  description:
    "The test's id (`connectivityTests/{id}`), or its full name `projects/{p}/locations/global/connectivityTests/{id}`.",
};

type Json = Record<string, unknown>;

/** A test's id from an id or a full name. */
const idOf = (name: string) => name.slice(name.lastIndexOf('/') + 1);

/** A GraphQL input object as Google's JSON: absent (null) fields left out. */
function defined(input: object): Json {
  return Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== null && value !== undefined),
  );
}

/**
 * Connectivity Tests (the Network Management API's, through the same service as `/networkmanagement/v1/`): saved
 * tests, one-off traces, and a subscription to saved tests whose result changes.
 */
@Resolver(() => ConnectivityTestModel)
export class ConnectivityTestResolver {
  constructor(
    private readonly tests: ConnectivityTestService,
    private readonly events: ConnectivityTestEvents,
  ) {}

  @Query(() => [ConnectivityTestModel], { description: "The project's saved Connectivity Tests, by name." })
  async connectivityTests(@Args('project', PROJECT) project: string): Promise<ConnectivityTestModel[]> {
    const tests: ConnectivityTestModel[] = [];
    let pageToken: string | undefined;
    do {
      const page = (await this.tests.list(project, { pageSize: '1000', pageToken })) as {
        resources?: ConnectivityTestResource[];
        nextPageToken?: string;
      };
      tests.push(...(page.resources ?? []).map(toConnectivityTestModel));
      pageToken = page.nextPageToken;
    } while (pageToken);
    return tests;
  }

  @Query(() => ConnectivityTestModel, { description: 'One saved Connectivity Test, with its latest result.' })
  async connectivityTest(
    @Args('project', PROJECT) project: string,
    @Args('name', TEST) name: string,
  ): Promise<ConnectivityTestModel> {
    return toConnectivityTestModel(
      (await this.tests.get(project, idOf(name))) as unknown as ConnectivityTestResource,
    );
  }

  @Query(() => ReachabilityDetailsModel, {
    description:
      'Where a packet from `from` to `to` goes, now: what a Connectivity Test would answer, without saving one. Every hop through the VPC, load balancers and on inside GKE nodes (kube-proxy, NetworkPolicy, the pod).',
  })
  async trace(
    @Args('project', PROJECT) project: string,
    @Args('from', {
      type: () => ConnectivityEndpointInput,
      description: 'Where the packet starts: an IP address (a VM, a pod, the internet), an instance…',
    })
    from: ConnectivityEndpointInput,
    @Args('to', {
      type: () => ConnectivityEndpointInput,
      description: 'Where the packet goes: an IP address (a VM, a pod, a Service), a forwarding rule…',
    })
    to: ConnectivityEndpointInput,
    @Args('port', {
      type: () => Int,
      nullable: true,
      description: 'The destination port (required for TCP, UDP and SCTP unless `to.port` gives it).',
    })
    port: number | null,
    @Args('protocol', {
      defaultValue: 'TCP',
      description: 'IP protocol: TCP, UDP, ICMP, ESP, AH, SCTP, IPIP or GRE.',
    })
    protocol: string,
    @Args('http', {
      type: () => HttpRequestInput,
      nullable: true,
      description: 'An HTTP request to carry through HTTP(S) load balancers (URL map, Cloud Armor, IAP).',
    })
    http: HttpRequestInput | null,
    @Args('bypassFirewallChecks', {
      defaultValue: false,
      description: 'Do not check firewall rules (as the test field of that name).',
    })
    bypassFirewallChecks: boolean,
  ): Promise<ReachabilityDetailsModel> {
    const destination = defined(to);
    if (port !== null && port !== undefined) destination['port'] = port;
    const spec: ConnectivityTestSpec = validateSpec({
      source: defined(from),
      destination,
      protocol: protocol.toUpperCase(),
      ...(bypassFirewallChecks ? { bypassFirewallChecks: true } : {}),
      ...(http ? { httpRequest: httpRequestSpec(http) } : {}),
    });
    if (['TCP', 'UDP', 'SCTP'].includes(spec.protocol) && destination['port'] === undefined) {
      throw NetworkManagementErrors.invalidArgument(
        `Required field 'destination.port' is missing: ${spec.protocol} needs a destination port.`,
      );
    }
    const details = await this.tests.analyze(project, spec, new Date(), true);
    return toReachabilityDetailsModel(details as never);
  }

  @Mutation(() => ConnectivityTestModel, {
    description: 'Creates a Connectivity Test and runs it (as POST …/connectivityTests?testId=).',
  })
  async createConnectivityTest(
    @Args('project', PROJECT) project: string,
    @Args('id', {
      description: 'Its id: lowercase letters, digits and hyphens, starting with a letter, 1–40 characters.',
    })
    id: string,
    @Args('test', { type: () => ConnectivityTestInput, description: 'What the test asks.' })
    test: ConnectivityTestInput,
  ): Promise<ConnectivityTestModel> {
    const body: Json = {
      ...defined(test),
      source: defined(test.source),
      destination: defined(test.destination),
    };
    await this.tests.create(project, id, body);
    return this.connectivityTest(project, id);
  }

  @Mutation(() => ConnectivityTestModel, {
    description: 'Runs a saved test again on the current state (as POST …/connectivityTests/{id}:rerun).',
  })
  async rerunConnectivityTest(
    @Args('project', PROJECT) project: string,
    @Args('name', TEST) name: string,
  ): Promise<ConnectivityTestModel> {
    await this.tests.rerun(project, idOf(name));
    return this.connectivityTest(project, idOf(name));
  }

  @Mutation(() => String, {
    description: 'Deletes a saved test (as DELETE …/connectivityTests/{id}); returns its full name.',
  })
  async deleteConnectivityTest(
    @Args('project', PROJECT) project: string,
    @Args('name', TEST) name: string,
  ): Promise<string> {
    await this.tests.delete(project, idOf(name));
    return `projects/${project}/locations/global/connectivityTests/${idOf(name)}`;
  }

  @Subscription(() => ConnectivityTestChangeModel, {
    description:
      "A saved test's result changed: while subscribed, the project's tests are analysed again each time the data plane changes, and those whose result differs are rerun (as :rerun) and sent.",
    resolve: (event: ConnectivityTestChangeModel) => event,
  })
  async connectivityTestChanged(
    @Args('project', PROJECT) project: string,
    @Args('name', {
      ...TEST,
      nullable: true,
      description: `${TEST.description} Omitted: every test of the project.`,
    })
    name?: string,
  ): Promise<AsyncIterableIterator<ConnectivityTestChangeModel>> {
    return this.events.subscribe({ project, ...(name ? { test: idOf(name) } : {}) });
  }
}

/** The GraphQL request as the REST extension `httpRequest` has it (headers as a map). */
function httpRequestSpec(http: HttpRequestInput): HttpRequestSpec {
  const { headers, ...rest } = defined(http) as HttpRequestInput;
  return {
    ...(rest as Omit<HttpRequestSpec, 'headers'>),
    ...(headers?.length
      ? { headers: Object.fromEntries(headers.map((header) => [header.name.toLowerCase(), header.value])) }
      : {}),
  };
}
