import {
  type BuildRequest,
  type ContainerEngine,
  type ImageInfo,
  type OperationContext,
  SERVICE_LABEL,
} from '@kubernaut-e2e/core';
import { buildDurationMs } from '../profile/timing-profile.js';
import { imageShortName, splitImageRef } from '../world/image-ref.js';
import type { SimImage, SimWorld } from '../world/sim-world.js';
import { toolError } from '../world/tool-error.js';

/**
 * The service a build request is for (it picks the build time): the `SERVICE_LABEL` every kubernaut-e2e
 * build carries, else the last path segment of the ref's repository (`localhost/kubernaut/gateway:x` →
 * `gateway`).
 */
export function serviceOfBuild(request: Pick<BuildRequest, 'ref' | 'labels'>): string {
  return request.labels[SERVICE_LABEL] ?? imageShortName(request.ref);
}

function info(image: SimImage): ImageInfo {
  return { id: image.id, refs: [...image.refs], labels: image.labels };
}

/**
 * `ContainerEngine` in memory. A build takes the profile's time for its service; `save` records a
 * virtual archive in the world (no file is written); every image operation fails like podman does when
 * the image is not there.
 */
export class SimContainerEngine implements ContainerEngine {
  readonly name = 'sim' as const;

  constructor(private readonly world: SimWorld) {}

  async build(request: BuildRequest, ctx?: OperationContext): Promise<{ readonly id: string }> {
    const service = serviceOfBuild(request);
    const argv = ['podman', 'build', '--tag', request.ref, '--file', request.dockerfile, request.context];
    return this.world.operate(
      'build',
      [service, request.ref, imageRepository(request.ref), splitImageRef(request.ref).repository],
      {
        argv,
        failure: [
          `Error: building at STEP "RUN go build -o /bin/${service} ./cmd/${service}": while running runtime: exit status 1`,
        ],
        transientFailure: [
          'Error: creating build container: initializing source docker://registry.access.redhat.com/ubi9/go-toolset:1.24: pinging container registry registry.access.redhat.com: Get "https://registry.access.redhat.com/v2/": net/http: TLS handshake timeout',
        ],
      },
      ctx,
      async () => {
        await this.world.sleep(buildDurationMs(this.world.profile, service), ctx);
        return { id: this.world.storeImage(request.ref, request.labels).id };
      },
    );
  }

  async inspect(ref: string): Promise<ImageInfo | undefined> {
    const image = this.world.imageByRef(ref);
    return image ? info(image) : undefined;
  }

  async findByLabel(label: string, value: string): Promise<readonly ImageInfo[]> {
    return [...this.world.images.values()]
      .filter((image) => image.labels[label] === value)
      .sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq)
      .map(info);
  }

  async tag(sourceRef: string, targetRef: string): Promise<void> {
    const image = this.world.imageByRef(sourceRef);
    if (!image)
      throw toolError(['podman', 'tag', sourceRef, targetRef], [`Error: ${sourceRef}: image not known`]);
    const previous = this.world.imageByRef(targetRef);
    if (previous && previous !== image) {
      previous.refs.delete(targetRef);
      if (previous.refs.size === 0) this.world.images.delete(previous.id);
    }
    image.refs.add(targetRef);
  }

  async save(refs: readonly string[], archivePath: string, ctx?: OperationContext): Promise<void> {
    const argv = ['podman', 'save', '--format', 'docker-archive', '--output', archivePath, ...refs];
    await this.world.operate(
      'save',
      [archivePath, ...refs, ...refs.map(imageShortName)],
      {
        argv,
        failure: [`Error: writing to ${archivePath}: no space left on device`],
        transientFailure: ['Error: database is locked'],
      },
      ctx,
      async () => {
        if (refs.length === 0) throw toolError(argv, ['Error: need at least 1 argument']);
        const missing = refs.filter((ref) => !this.world.imageByRef(ref));
        if (missing.length > 0)
          throw toolError(
            argv,
            missing.map((ref) => `Error: ${ref}: image not known`),
            'build the image first',
          );
        this.world.archives.set(archivePath, { path: archivePath, refs: [...refs] });
      },
    );
  }

  async removeImage(ref: string, ctx?: OperationContext): Promise<void> {
    const argv = ['podman', 'rmi', ref];
    await this.world.operate(
      'remove-image',
      [ref, imageShortName(ref)],
      {
        argv,
        failure: [`Error: ${ref}: image is in use by a container`],
        transientFailure: ['Error: database is locked'],
      },
      ctx,
      async () => {
        const image = this.world.imageByRef(ref);
        if (!image) throw toolError(argv, [`Error: ${ref}: image not known`]);
        image.refs.delete(ref);
        if (image.refs.size === 0) this.world.images.delete(image.id);
      },
    );
  }

  /** Checks the container is a node of a simulated cluster and records the copy; writes no files. */
  async copyFromContainer(
    container: string,
    srcPath: string,
    destDir: string,
    ctx?: OperationContext,
  ): Promise<void> {
    const argv = ['podman', 'cp', `${container}:${srcPath}`, destDir];
    await this.world.operate(
      'copy',
      [container, srcPath],
      {
        argv,
        failure: [`Error: copying from container ${container}: no such file or directory`],
        transientFailure: ['Error: database is locked'],
      },
      ctx,
      async () => {
        const node = [...this.world.clusters.values()].some((c) => `${c.name}-control-plane` === container);
        if (!node) throw toolError(argv, [`Error: container "${container}" does not exist`]);
        this.world.copies.push({ container, srcPath, destDir });
      },
    );
  }

  async push(ref: string, ctx?: OperationContext): Promise<void> {
    const argv = ['podman', 'push', ref];
    await this.world.operate(
      'push',
      [ref, imageShortName(ref)],
      {
        argv,
        failure: ['Error: writing blob: uploading layer chunked: unauthorized: authentication required'],
        transientFailure: ['Error: writing blob: net/http: TLS handshake timeout'],
      },
      ctx,
      async () => {
        if (!this.world.imageByRef(ref)) throw toolError(argv, [`Error: ${ref}: image not known`]);
        await this.world.sleep(this.world.profile.load.pushMs, ctx);
        this.world.registry.add(ref);
      },
    );
  }
}

function imageRepository(ref: string): string {
  const at = ref.indexOf('@');
  const noDigest = at >= 0 ? ref.slice(0, at) : ref;
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
}
