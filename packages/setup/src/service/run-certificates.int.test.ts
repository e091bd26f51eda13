import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { KubeObject } from '@kubernaut-e2e/core';
import { describeWithBinaries } from '@kubernaut-e2e/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FIXTURE_PROJECT_ROOT } from '../project-root.js';
import { defineService } from './define-service.js';
import { defineStack } from './stack.js';

/*
 * The certificates the run makes, read by Go's own TLS stack — what kubernaut's binaries use: DataStorage loads its
 * serving pair and its signing pair with `tls.LoadX509KeyPair`, its clients trust `inter-service-ca.pem`. A small Go
 * program of ours (standard library only, Debian's Go 1.19) loads them, verifies the chain for every name a client
 * uses, and completes a TLS handshake over loopback.
 */
const GO_PROGRAM = `package main

import (
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net"
	"os"
)

func main() {
	dir := os.Args[1]
	result := map[string]interface{}{}
	pool := x509.NewCertPool()
	caPEM, _ := os.ReadFile(dir + "/ca.crt")
	result["caParsed"] = pool.AppendCertsFromPEM(caPEM)

	pair, err := tls.LoadX509KeyPair(dir+"/tls.crt", dir+"/tls.key")
	result["servingLoadError"] = fmt.Sprint(err)
	leaf, _ := x509.ParseCertificate(pair.Certificate[0])
	verified := map[string]string{}
	for _, name := range os.Args[2:] {
		_, err := leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: name})
		verified[name] = fmt.Sprint(err)
	}
	result["verified"] = verified

	listener, _ := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{pair}})
	go func() {
		conn, err := listener.Accept()
		if err == nil {
			conn.(*tls.Conn).Handshake()
			conn.Close()
		}
	}()
	conn, err := tls.Dial("tcp", listener.Addr().String(), &tls.Config{RootCAs: pool, ServerName: "localhost"})
	result["handshakeError"] = fmt.Sprint(err)
	if err == nil {
		conn.Close()
	}
	_, port, _ := net.SplitHostPort(listener.Addr().String())
	result["port"] = port

	signing, err := tls.LoadX509KeyPair(dir+"/signing.crt", dir+"/signing.key")
	result["signingLoadError"] = fmt.Sprint(err)
	if key, ok := signing.PrivateKey.(*rsa.PrivateKey); ok {
		result["signingKey"] = fmt.Sprintf("rsa %d", key.N.BitLen())
	}
	out, _ := json.Marshal(result)
	fmt.Println(string(out))
}
`;

const secretData = (secret: KubeObject, key: string) =>
  Buffer.from((secret.data as Record<string, string>)[key]!, 'base64').toString('utf8');

describeWithBinaries(['go'], { go: 'golang-go' }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubernaut-e2e-go-tls-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('Go loads the serving and signing pairs, verifies every Service name against the run’s CA, and handshakes', async () => {
    const stack = defineStack({
      name: 'tls',
      images: { api: { dockerfile: 'docker/data-storage.Dockerfile' } },
      certificates: [
        { secret: 'api-tls', serves: 'api' },
        { secret: 'api-signing', selfSigned: { commonName: 'api-signing', keyAlgorithm: 'rsa-2048' } },
      ],
      deployments: [
        {
          id: 'api',
          image: 'api',
          serviceName: 'data-storage-service',
          ports: [{ name: 'https', port: 8080, tls: true }],
        },
      ],
    });
    const service = defineService({ name: 'tls', uses: [stack], hostPorts: {} });
    const declared = await service.declare({
      projectRoot: FIXTURE_PROJECT_ROOT,
      clusterName: 'tls-e2e',
      kubeconfigPath: join(dir, 'config'),
      coverage: false,
      hostPorts: {},
      consumer: 'tls-e2e',
      namespace: 'kubernaut-system',
    });
    const config = declared.declaration.components.find((c) => c.id === 'config');
    if (config?.kind !== 'manifests') throw new Error('no config step');
    const objects = config.objects({ images: {} });
    const secret = (name: string) => objects.find((o) => o.kind === 'Secret' && o.metadata.name === name)!;
    await writeFile(join(dir, 'ca.crt'), declared.ca!.pem);
    await writeFile(join(dir, 'tls.crt'), secretData(secret('api-tls'), 'tls.crt'));
    await writeFile(join(dir, 'tls.key'), secretData(secret('api-tls'), 'tls.key'));
    await writeFile(join(dir, 'signing.crt'), secretData(secret('api-signing'), 'tls.crt'));
    await writeFile(join(dir, 'signing.key'), secretData(secret('api-signing'), 'tls.key'));
    await writeFile(join(dir, 'main.go'), GO_PROGRAM);

    const names = [
      'localhost',
      'data-storage-service',
      'data-storage-service.kubernaut-system',
      'data-storage-service.kubernaut-system.svc',
      'data-storage-service.kubernaut-system.svc.cluster.local',
    ];
    const { stdout } = await promisify(execFile)(
      'go',
      ['run', join(dir, 'main.go'), dir, ...names, 'gateway-service'],
      {
        env: {
          ...process.env,
          HOME: dir,
          GOCACHE: join(dir, 'gocache'),
          GOPATH: join(dir, 'gopath'),
          GOFLAGS: '',
        },
        timeout: 170_000,
      },
    );
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result.caParsed).toBe(true);
    expect(result.servingLoadError).toBe('<nil>');
    expect(result.handshakeError).toBe('<nil>');
    expect(result.signingLoadError).toBe('<nil>');
    expect(result.signingKey).toBe('rsa 2048');
    const verified = result.verified as Record<string, string>;
    for (const name of names) expect(verified[name], name).toBe('<nil>');
    // A name the certificate is not for is refused: the check is real.
    expect(verified['gateway-service']).toContain('not gateway-service');
  });
});
