import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { type ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { Command, Option } from 'commander';
import { ConfigError, loadConfig, saveCodeCache, type EmulatorConfig } from '@gke-emulator/common';
import {
  assertPortFree,
  databaseConnectionMessage,
  unknownCommandMessage,
  unreachableMessage,
} from './cli-errors';
import { findInstance, tokenFileFor, writeLastStarted, type FindOptions } from './instance';
import {
  ClusterLookupError,
  clientToken,
  clientVariables,
  defaultKubeconfigPath,
  ensureTokenFile,
  exportLines,
  findCluster,
  kubeconfigFor,
  kubeconfigYaml,
  startBanner,
  writeKubeconfig,
  writeRunning,
} from './client-env';
import { launchEmbeddedDatabase } from './launch-embedded';
import { Shutdown, bounded } from './shutdown';

/** The version of the package this CLI was built from (its package.json, above dist/cli/). */
function packageVersion(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as {
      name?: string;
      version?: string;
    };
    if (name === 'gke-emulator' && version) return version;
  }
  return 'unknown';
}
const version = packageVersion();

/** How the user runs this CLI, for the lines it prints: `npx gke-emulator` when installed, else its path. */
function cliCommand(): string {
  const script = process.argv[1] ?? 'gke-emulator';
  if (script.includes(`${sep}node_modules${sep}`)) return 'npx gke-emulator';
  const path = relative(process.cwd(), script);
  return `node ${path.startsWith('.') || path.startsWith(sep) ? path : `.${sep}${path}`}`;
}

const program = new Command('gke-emulator')
  .description('A local emulator of Google Kubernetes Engine and Google Cloud networking')
  .version(version)
  .showHelpAfterError();

// The defaults `start --help` shows: those of the config with no flag and no variable.
const defaults = loadConfig({ env: {}, flags: {} });
const withDefault = (text: string, value: string | number) => `${text} (default: ${value})`;

/** Where the client commands look for the emulator (`env`, `reset`). */
function findOptions(options: { url?: string; dataDir?: string }): FindOptions {
  const config = loadConfig({ flags: { dataDir: options.dataDir } });
  return {
    url: options.url,
    dataDir: options.dataDir ?? (process.env['GKE_EMULATOR_DATA_DIR'] ? config.dataDir : undefined),
    defaultDataDir: defaults.dataDir,
    defaultUrl: `http://${config.host}:${config.port}`,
  };
}

/** Set by `start` when it uses DATABASE_URL, for the message of a failed connection. */
let startDatabaseUrl: string | undefined;

function configFrom(options: Record<string, unknown>): EmulatorConfig {
  return loadConfig({
    flags: {
      host: options['host'] as string | undefined,
      port: options['port'] as string | undefined,
      kubePort: options['kubePort'] as string | undefined,
      dataDir: options['dataDir'] as string | undefined,
      ephemeral: options['ephemeral'] as boolean | undefined,
      operationDelayMs: options['operationDelayMs'] as string | undefined,
      // commander defaults --no-worker's option to true: only an explicit --no-worker overrides the variable.
      worker: options['worker'] === false ? false : undefined,
      logLevel: options['logLevel'] as string | undefined,
      allowedHosts: options['allowedHosts'] as string | undefined,
      authToken: options['authToken'] as string | undefined,
      insecure: options['insecure'] as boolean | undefined,
      logFormat: options['logFormat'] as string | undefined,
    },
  });
}

program
  .command('start', { isDefault: true })
  .description(
    'run the emulator: the API, and the worker as a child process (embedded PostgreSQL unless DATABASE_URL is set)',
  )
  .addOption(
    new Option('--host <host>', withDefault('address to listen on', defaults.host)).env('GKE_EMULATOR_HOST'),
  )
  .addOption(
    new Option('-p, --port <port>', withDefault('port to listen on; 0 picks a free one', defaults.port)).env(
      'GKE_EMULATOR_PORT',
    ),
  )
  .addOption(
    new Option(
      '--kube-port <port>',
      withDefault('port of the Kubernetes API over HTTPS; 0 picks a free one', defaults.kubePort),
    ).env('GKE_EMULATOR_KUBE_PORT'),
  )
  .addOption(
    new Option(
      '--data-dir <dir>',
      withDefault(
        'embedded PostgreSQL data directory',
        `.${sep}${relative(process.cwd(), defaults.dataDir)}`,
      ),
    ).env('GKE_EMULATOR_DATA_DIR'),
  )
  .option('--ephemeral', 'throw-away embedded database, deleted on exit (default: off)')
  .addOption(
    new Option(
      '--operation-delay-ms <ms>',
      withDefault('how long operations stay RUNNING', defaults.operationDelayMs),
    ).env('GKE_EMULATOR_OPERATION_DELAY_MS'),
  )
  .option('--no-worker', 'do not run the worker (the data-plane computations) beside the API')
  .addOption(
    new Option('--log-level <level>', withDefault('silent, error, info or debug', defaults.logLevel)).env(
      'GKE_EMULATOR_LOG_LEVEL',
    ),
  )
  .addOption(
    new Option(
      '--log-format <format>',
      withDefault('request log lines: pretty (one line per request) or json', defaults.logFormat),
    ).env('GKE_EMULATOR_LOG_FORMAT'),
  )
  .addOption(
    new Option(
      '--allowed-hosts <names>',
      'comma-separated host names clients may use beyond loopback names and the listen address (* for any)',
    ).env('GKE_EMULATOR_ALLOWED_HOSTS'),
  )
  .addOption(
    new Option('--auth-token <token>', 'every API wants Authorization: Bearer <token>').env(
      'GKE_EMULATOR_AUTH_TOKEN',
    ),
  )
  .option('--insecure', 'allow a non-loopback --host without --auth-token')
  .action(async (options: Record<string, unknown>) => {
    const config = configFrom(options);
    startDatabaseUrl = config.databaseUrl;
    // A port in use fails here, in one line, before PostgreSQL starts.
    await assertPortFree(config.host, config.port, '--port');
    await assertPortFree(config.host, config.kubePort, '--kube-port');
    // Until the server's modules have loaded, a signal ends the process at once (its default action): PostgreSQL and
    // initdb are ended by their supervisor, and loading the modules holds the event loop too long for a handler to
    // run in time. From then on — before the API listens, so a signal the moment /readyz first answers is no
    // exception — a signal stops everything at once, within about a second (see Shutdown).
    const stopping = (shutdown = new Shutdown());
    // Embedded PostgreSQL starts (a child process) while the server's modules load.
    const progress =
      config.logLevel === 'silent'
        ? undefined
        : (message: string) => process.stderr.write(`gke-emulator: ${message}\n`);
    const embedded = await launchEmbeddedDatabase(config, progress);
    if (embedded) stopping.step((remainingMs) => embedded.abort(remainingMs));
    const { openDatabase, startApi } = await import('@gke-emulator/server');
    const { OperationTimingService } = await import('@gke-emulator/operations');
    stopping.listen();
    // A signal during migrations stops them: they run in one transaction, which PostgreSQL rolls back, and the next
    // start applies them again.
    const migrations = new AbortController();
    stopping.step(async () => migrations.abort());
    const opened = await openDatabase(config, { embedded, progress, signal: migrations.signal }).then(
      (opened) => {
        // A pool whose clients the start still uses (a LISTEN connection) would not end: the server's stop ends them.
        stopping.step((remainingMs) => bounded(opened.database.close(), Math.min(remainingMs, 300)));
        return opened;
      },
      (error: unknown) => {
        if (stopping.stopping) return undefined;
        throw error;
      },
    );
    if (stopping.stopping || !opened) return;

    const starting = startApi({
      database: opened.database,
      host: config.host,
      port: config.port,
      kubePort: config.kubePort,
      logLevel: config.logLevel,
      allowedHosts: config.allowedHosts,
      authToken: config.authToken,
      logFormat: config.logFormat,
    });
    // Registered before the API listens: a stop while it starts closes it once it has (or exits at the deadline).
    stopping.step(() => starting.then((api) => api.close()));
    const api = await starting;
    if (stopping.stopping) return;
    if (options['operationDelayMs'] !== undefined)
      await api.app.get(OperationTimingService).setDelayMs(config.operationDelayMs);
    if (stopping.stopping) return;
    // An ephemeral emulator leaves nothing in the data directory (its token, if any, goes to a private folder).
    const tokenFile = ensureTokenFile(
      config.ephemeral
        ? config.authToken
          ? mkdtempSync(join(tmpdir(), 'gke-emulator-'))
          : tmpdir()
        : config.dataDir,
      config.authToken,
    );
    const record = { url: api.url, pid: process.pid, tokenFile, auth: config.authToken !== undefined };
    if (!config.ephemeral) writeRunning(config.dataDir, { ...record, dataDir: config.dataDir });
    writeLastStarted(record);
    const database = opened.embedded ? `embedded PostgreSQL in ${opened.embedded.dataDir}` : 'DATABASE_URL';
    if (config.logLevel !== 'silent') {
      process.stdout.write(
        startBanner({
          url: api.url,
          kubeUrl: api.kubeUrl,
          version,
          variables: clientVariables(api.url, tokenFile),
          database,
          envCommand: `${cliCommand()} env --url ${api.url}`,
        }),
      );
    }
    // The worker runs as a child process: its computations must not hold up the API's event loop, and the
    // second core is there for it. Started once the API serves (what it computes is only read through the API).
    if (config.worker) {
      const worker = startWorkerProcess(opened.url, () => stopping.stopping);
      stopping.step((remainingMs) => worker.stop(remainingMs));
    }
    // Not at readiness and not while stopping: building GraphQL and writing the cache hold the event loop, and with
    // it the signal's handling, for seconds on a loaded machine (once per build). A script that stops the emulator
    // as soon as it is ready would wait for them: they begin a moment later, once nothing has stopped it.
    setTimeout(() => {
      saveCodeCache(async () => {
        if (stopping.stopping) throw new Error('stopping');
        await api.prepareGraphql();
        if (stopping.stopping) throw new Error('stopping');
      });
    }, CODE_CACHE_AFTER_READY_MS).unref();
    opened.database.warmUp();
  });

program
  .command('env')
  .description(
    'print export lines that aim gcloud and the SDKs at the emulator; with --cluster, the kubeconfig of a cluster',
  )
  .addOption(
    new Option(
      '--url <url>',
      'emulator URL (default: GKE_EMULATOR_URL, else the one running from --data-dir or ./.gke-emulator, else the last one started, else the default port)',
    ),
  )
  .addOption(new Option('--data-dir <dir>', 'data directory of the emulator').env('GKE_EMULATOR_DATA_DIR'))
  .option('--project <project>', "also set CLOUDSDK_CORE_PROJECT; with --cluster, the cluster's project")
  .option(
    '--cluster <name>',
    'print the kubeconfig `gcloud container clusters get-credentials` writes for this cluster',
  )
  .option('--location <location>', 'with --cluster: its zone or region (default: found in every location)')
  .option(
    '--write-kubeconfig [file]',
    'with --cluster: merge the entry into this file (default: first path in $KUBECONFIG, else ~/.kube/config)',
  )
  .action(
    async (options: {
      url?: string;
      dataDir?: string;
      project?: string;
      cluster?: string;
      location?: string;
      writeKubeconfig?: string | boolean;
    }) => {
      const config = loadConfig({ flags: { dataDir: options.dataDir } });
      const found = findInstance(findOptions(options));
      const url = found.url;
      const token = clientToken(config, found);
      if (options.cluster === undefined) {
        if (options.location !== undefined)
          throw new ConfigError('--location', 'only applies with --cluster');
        if (options.writeKubeconfig !== undefined) {
          throw new ConfigError('--write-kubeconfig', 'only applies with --cluster');
        }
        process.stdout.write(exportLines(clientVariables(url, tokenFileFor(found), options.project, token)));
        return;
      }
      const project = options.project ?? process.env['CLOUDSDK_CORE_PROJECT'];
      if (!project)
        throw new ConfigError('--project', 'required with --cluster (or set CLOUDSDK_CORE_PROJECT)');
      const cluster = await findCluster({
        url,
        project,
        cluster: options.cluster,
        location: options.location,
        token,
      });
      if (!cluster.endpoint) {
        throw new ClusterLookupError(
          `--cluster: "${cluster.name}" has no endpoint yet (status ${String((cluster as { status?: unknown }).status)})`,
        );
      }
      const kubeconfig = kubeconfigFor(project, cluster);
      if (options.writeKubeconfig === undefined) {
        process.stdout.write(kubeconfigYaml(kubeconfig));
        return;
      }
      const path =
        typeof options.writeKubeconfig === 'string' ? options.writeKubeconfig : defaultKubeconfigPath();
      writeKubeconfig(path, kubeconfig);
      process.stderr.write(`kubeconfig entry ${kubeconfig['current-context']} written to ${path}\n`);
    },
  );

program
  .command('reset')
  .description('delete everything in a running emulator, or one project')
  .option('--project <project>', 'only this project')
  .addOption(
    new Option(
      '--url <url>',
      'emulator URL (default: as for env: GKE_EMULATOR_URL, the one of --data-dir, the last one started)',
    ),
  )
  .addOption(new Option('--data-dir <dir>', 'data directory of the emulator').env('GKE_EMULATOR_DATA_DIR'))
  .action(async (options: { url?: string; dataDir?: string; project?: string }) => {
    const config = loadConfig({ flags: { dataDir: options.dataDir } });
    const found = findInstance(findOptions(options));
    const token = clientToken(config, found);
    const target = `${found.url}/emulator/v1/reset`;
    let response: Response;
    try {
      response = await fetch(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(options.project ? { project: options.project } : {}),
      });
    } catch (error) {
      throw new Error(unreachableMessage('reset', found.url, found.source, error));
    }
    const body = await response.text();
    if (!response.ok) {
      process.stderr.write(`gke-emulator: reset: ${target} answered ${response.status}: ${body}\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(`${body}\n`);
  });

program
  .command('print-graphql-schema')
  .description('print the GraphQL schema (SDL) the server builds')
  .action(async () => {
    const { printGraphqlSchema } = await import('@gke-emulator/server');
    const { Database } = await import('@gke-emulator/db');
    const database = new Database('postgresql://unused@127.0.0.1:1/unused');
    process.stdout.write(await printGraphqlSchema(database));
    await database.close();
  });

/** How long after its banner a start that writes the V8 code cache waits before it begins (see `start`). */
const CODE_CACHE_AFTER_READY_MS = 2000;

/** Set by `start`: a start failing because it is being stopped is no failure. */
let shutdown: Shutdown | undefined;

const commands = program.commands.flatMap((command) => [command.name(), ...command.aliases()]);
const first = process.argv[2];
if (first !== undefined && !first.startsWith('-') && !commands.includes(first) && first !== 'help') {
  process.stderr.write(`gke-emulator: ${unknownCommandMessage(first, commands)}\n`);
  process.exit(2);
}

program.parseAsync().catch((error: unknown) => {
  if (shutdown?.stopping) return;
  const databaseMessage = startDatabaseUrl ? databaseConnectionMessage(error, startDatabaseUrl) : undefined;
  if (databaseMessage) {
    process.stderr.write(`gke-emulator: ${databaseMessage}\n`);
    process.exit(1);
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`gke-emulator: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`gke-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

/**
 * The worker (`dist/worker/main.js`) as a child process against the same database. Restarted after a crash (the
 * crash is reported on stderr); stopped with SIGTERM, then SIGKILL if it does not end within `killAfterMs`. It ends
 * itself when this process ends, however it ends: its IPC channel closes (see apps/worker/src/main.ts). In a
 * session of its own, so that a signal to our process group reaches us and we stop it in order.
 */
function startWorkerProcess(
  databaseUrl: string,
  stopping: () => boolean,
): { stop(killAfterMs: number): Promise<void> } {
  const script = join(__dirname, '..', 'worker', 'main.js');
  let child: ChildProcess | undefined;
  const launch = () => {
    child = spawn(process.execPath, [script], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      detached: true,
    });
    child.on('exit', (code, signal) => {
      if (stopping()) return;
      process.stderr.write(`gke-emulator: the worker exited (${signal ?? `code ${code}`}); restarting it\n`);
      setTimeout(launch, 1000).unref();
    });
  };
  launch();
  return {
    stop: (killAfterMs) =>
      new Promise<void>((resolvePromise) => {
        const current = child;
        if (!current || current.exitCode !== null || current.signalCode !== null) return resolvePromise();
        const timer = setTimeout(() => current.kill('SIGKILL'), killAfterMs);
        current.once('exit', () => {
          clearTimeout(timer);
          resolvePromise();
        });
        current.kill('SIGTERM');
      }),
  };
}
