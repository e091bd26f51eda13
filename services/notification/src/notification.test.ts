import { setupInfrastructure } from '@kubernaut-e2e/setup';
import { createSimToolchain } from '@kubernaut-e2e/sim';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { notificationService } from './notification.js';

describe('setupNotificationInfrastructure (simulated toolchain)', () => {
  it('deploys what kubernaut’s notification suite deploys: the stack, the auth webhook, a delivery sink and the controller', async () => {
    const toolchain = createSimToolchain();
    await using infra = await setupInfrastructure(notificationService, {
      runtime: 'sim',
      env: {},
      toolchain,
    });
    const images = Object.keys(infra.images).sort();
    expect(images).toEqual([
      'authwebhook',
      'datastorage',
      'mock-webhook',
      'notification',
      'postgres',
      'redis',
    ]);
    expect(infra.images['mock-webhook']).toBe('docker.io/library/nginx:alpine');
    const cluster = toolchain.world.clusters.get('notification-e2e')!;
    expect(cluster.objectsOfKind('CustomResourceDefinition')).toHaveLength(11);
    expect(infra.namespace).toBe('notification-e2e');

    // The controller: Deployment notification-controller, container `manager` (the suite execs into it), its config
    // and routing files, the credentials, file output, the run's CA.
    const deployment = cluster
      .objectsOfKind('Deployment')
      .find((o) => o.metadata.name === 'notification-controller')!;
    const pod = (deployment.spec as { template: { spec: Record<string, unknown> } }).template.spec as {
      containers: { name: string; args: string[]; volumeMounts: { mountPath: string }[] }[];
      serviceAccountName: string;
    };
    expect(pod.containers[0]!.name).toBe('manager');
    expect(pod.containers[0]!.args).toEqual(['-config', '$(CONFIG_PATH)']);
    expect(pod.serviceAccountName).toBe('notification-controller');
    expect(pod.containers[0]!.volumeMounts.map((m) => m.mountPath).sort()).toEqual([
      '/etc/notification',
      '/etc/notification-routing',
      '/etc/notification/credentials',
      '/etc/tls-ca',
      '/tmp/notifications',
    ]);
    const configMap = (name: string) =>
      cluster.objectsOfKind('ConfigMap').find((o) => o.metadata.name === name)!;
    const config = parse(
      (configMap('notification-controller-config').data as Record<string, string>)['config.yaml']!,
    );
    expect(config.datastorage.url).toBe(
      'https://data-storage-service.notification-e2e.svc.cluster.local:8080',
    );
    const routing = parse(
      (configMap('notification-routing-config').data as Record<string, string>)['routing.yaml']!,
    );
    expect(routing.receivers.map((r: { name: string }) => r.name)).toContain('slack-success');
    const credentials = cluster
      .objectsOfKind('Secret')
      .find((o) => o.metadata.name === 'delivery-credentials')!;
    expect((credentials.stringData as Record<string, string>)['slack-success']).toBe(
      'http://mock-webhook.notification-e2e.svc.cluster.local:8080/webhook',
    );

    // DataStorage on node port 30090, published as the suite's kind config maps it; the controller's metrics on 9186.
    const dataStorage = cluster
      .objectsOfKind('Service')
      .find((o) => o.metadata.name === 'data-storage-service')!;
    expect(JSON.stringify(dataStorage.spec)).toContain('"nodePort":30090');
    expect(infra.endpoints).toMatchObject({
      dataStorageUrl: 'https://localhost:30090',
      dataStorageHealthUrl: 'http://localhost:30281',
      metricsUrl: 'http://localhost:9186/metrics',
    });
    // The webhook configurations are registered once the auth webhook is ready.
    const step = (id: string) => infra.trace.steps.find((s) => s.id === id)!;
    expect(step('manifests:authwebhook-webhooks').start).toBeGreaterThanOrEqual(
      step('ready:authwebhook').end!,
    );
    expect(step('ready:notification-controller').outcome).toBe('succeeded');
  });
});
