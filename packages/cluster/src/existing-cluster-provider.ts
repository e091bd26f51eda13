import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  type ClusterCreateRequest,
  type ClusterInfo,
  type ClusterProvider,
  CommandError,
  type CommandRunner,
  ConfigError,
  type LogSink,
  type OperationContext,
  type RunOptions,
} from '@kubernaut-e2e/core';
import { z } from 'zod';
import { type ExistingClusterRunOps, existingClusterRunOps } from './existing-cluster-run.js';
import { assertWritableFilePath, writeKubeconfig } from './kubeconfig-file.js';

export interface ExistingClusterProviderOptions {
  /** The kubeconfig that reaches the cluster (read only; never modified). */
  readonly kubeconfigPath: string;
  /** The context in that kubeconfig to use. */
  readonly context: string;
  /**
   * Registry the cluster pulls test images from, e.g. `registry.example.com:5000/e2e`. Images are
   * pushed there (see `registryRef`) because an existing cluster's nodes cannot `kind load`.
   */
  readonly registry: string;
  readonly runner: CommandRunner;
  readonly kubectlBinary?: string;
  readonly log?: LogSink;
}

/** A `ClusterProvider` for a cluster kubernaut-e2e did not create, plus the registry mapping for its images. */
export interface ExistingClusterProvider extends ClusterProvider, ExistingClusterRunOps {
  readonly registry: string;
  readonly context: string;
  /**
   * A read, before anything runs: the kubeconfig is readable and has the context. Throws `ConfigError` naming
   * `kubeconfigPath` or `context` otherwise.
   */
  check(ctx?: OperationContext): Promise<void>;
  /**
   * Where a locally built image must be pushed for this cluster to pull it: the image's registry host
   * (`localhost`, `docker.io`, …) is replaced by `registry`, the repository path and tag are kept.
   * `localhost/kubernaut/gateway:e2e-1a2b` → `registry.example.com:5000/e2e/kubernaut/gateway:e2e-1a2b`.
   */
  registryRef(ref: string): string;
}

// host[:port][/path…], lower case, no scheme: what a pod spec's `image:` can start with.
const registrySchema = z
  .string()
  .regex(
    /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/,
    {
      message:
        'registry must be host[:port][/path] in lower case without a scheme, e.g. "registry.example.com:5000/e2e"',
    },
  );

const optionsSchema = z.object({
  kubeconfigPath: z.string().min(1, { message: 'kubeconfigPath must not be empty' }),
  context: z.string().min(1, { message: 'context must name a context of the kubeconfig' }),
  registry: registrySchema,
});

const SUBJECT = 'existing cluster provider options';

/**
 * A provider for a cluster that already exists (for suites whose clusters outgrow one machine). It
 * never creates or deletes anything: `create` checks that the context exists and the API server
 * answers, then writes a one-context kubeconfig for the run; `delete` refuses. Images reach the
 * nodes through a registry (`registryRef` + the engine's `push`), so `loadArchive` and
 * `listNodeImages` refuse with an explanation instead of pretending.
 */
export function createExistingClusterProvider(
  options: ExistingClusterProviderOptions,
): ExistingClusterProvider {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      { subject: SUBJECT },
    );
  }
  const kubeconfig = resolve(options.kubeconfigPath);
  const { context, registry } = parsed.data;
  const kubectl = options.kubectlBinary ?? 'kubectl';

  const run = (args: readonly string[], ctx?: OperationContext) => {
    const log = ctx?.log ?? options.log;
    const runOptions: RunOptions = {
      ...(log ? { log } : {}),
      ...(ctx?.logSource ? { logSource: ctx.logSource } : {}),
      ...(ctx?.signal ? { signal: ctx.signal } : {}),
    };
    return options.runner.run(kubectl, ['--kubeconfig', kubeconfig, ...args], runOptions);
  };

  const assertKubeconfigReadable = async (): Promise<void> => {
    try {
      await access(kubeconfig, constants.R_OK);
    } catch {
      throw ConfigError.field('kubeconfigPath', `${kubeconfig} does not exist or is not readable`, SUBJECT);
    }
  };

  const contexts = async (ctx?: OperationContext): Promise<string[]> => {
    const result = await run(['config', 'get-contexts', '-o', 'name'], ctx);
    return parseContextNames(result.stdout);
  };

  const assertContext = async (ctx?: OperationContext): Promise<void> => {
    const names = await contexts(ctx);
    if (!names.includes(context)) {
      throw ConfigError.field(
        'context',
        `context "${context}" is not in ${kubeconfig}; it has: ${names.length ? names.join(', ') : '(none)'}`,
        SUBJECT,
      );
    }
  };

  const writeMinified = async (path: string, ctx?: OperationContext): Promise<string> => {
    const target = await assertWritableFilePath(path, 'kubeconfigPath', 'kubeconfig request');
    // --minify keeps only this context; --flatten inlines certificate files, so the copy stands alone.
    const result = await run(['--context', context, 'config', 'view', '--minify', '--flatten'], ctx);
    await writeKubeconfig(target, result.stdout);
    return target;
  };

  const noKindNodes = (operation: string): ConfigError =>
    ConfigError.field(
      'provider',
      `${operation} needs kind nodes, and context "${context}" is an existing cluster: push images to ${registry} instead (provider.registryRef(ref) gives the reference, the container engine's push() sends it) and reference them by that name`,
      'existing cluster operation',
    );

  return {
    name: 'existing',
    registry,
    context,
    registryRef: (ref) => mapToRegistry(ref, registry),
    ...existingClusterRunOps({
      runner: options.runner,
      kubeconfigPath: kubeconfig,
      context,
      kubectlBinary: kubectl,
      ...(options.log ? { log: options.log } : {}),
    }),

    async check(ctx?: OperationContext): Promise<void> {
      await assertKubeconfigReadable();
      await assertContext(ctx);
    },

    async create(request: ClusterCreateRequest, ctx?: OperationContext): Promise<ClusterInfo> {
      if (request.ifExists === 'recreate') {
        throw ConfigError.field(
          'ifExists',
          `an existing cluster (context "${context}") cannot be recreated by kubernaut-e2e; use 'reuse'`,
          'cluster create request',
        );
      }
      await assertKubeconfigReadable();
      const target = await assertWritableFilePath(
        request.kubeconfigPath,
        'kubeconfigPath',
        'cluster create request',
      );
      await assertContext(ctx);
      try {
        await run(['--context', context, 'cluster-info'], ctx);
      } catch (error) {
        if (!(error instanceof CommandError)) throw error;
        throw new CommandError(error, {
          cause: error,
          context: `the API server of context "${context}" did not answer; check the VPN/credentials, or \`kubectl --kubeconfig ${kubeconfig} --context ${context} cluster-info\``,
        });
      }
      await writeMinified(target, ctx);
      return { name: request.name, kubeconfigPath: target, reused: true };
    },

    // The provider stands for one context, whatever logical name the run gives the cluster.
    async exists(_name: string, ctx?: OperationContext): Promise<boolean> {
      await assertKubeconfigReadable();
      return (await contexts(ctx)).includes(context);
    },

    async delete(name: string): Promise<void> {
      throw ConfigError.field(
        'provider',
        `cluster "${name}" (context "${context}") was not created by kubernaut-e2e and is never deleted by it; remove the test namespaces instead`,
        'existing cluster operation',
      );
    },

    async kubeconfig(_name: string, path: string, ctx?: OperationContext): Promise<string> {
      await assertKubeconfigReadable();
      await assertContext(ctx);
      return writeMinified(path, ctx);
    },

    async loadArchive(): Promise<void> {
      throw noKindNodes('loading an image archive');
    },

    async listNodeImages(): Promise<readonly string[]> {
      throw noKindNodes('listing node images');
    },

    async exportLogs(_name: string, dir: string, ctx?: OperationContext): Promise<void> {
      await run(
        [
          '--context',
          context,
          'cluster-info',
          'dump',
          '--all-namespaces',
          '--output-directory',
          resolve(dir),
        ],
        ctx,
      );
    },
  };
}

/** Context names from `kubectl config get-contexts -o name` (one per line). */
export function parseContextNames(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

function mapToRegistry(ref: string, registry: string): string {
  const trimmed = ref.trim();
  if (!/^[a-z0-9][a-z0-9._\-/:@]*$/.test(trimmed) || trimmed.endsWith('/')) {
    throw ConfigError.field('ref', `"${ref}" is not an image reference`, 'registry mapping');
  }
  const slash = trimmed.indexOf('/');
  const first = slash === -1 ? '' : trimmed.slice(0, slash);
  const hasRegistry = first !== '' && (/[.:]/.test(first) || first === 'localhost');
  const path = hasRegistry ? trimmed.slice(slash + 1) : trimmed;
  return `${registry}/${path}`;
}
