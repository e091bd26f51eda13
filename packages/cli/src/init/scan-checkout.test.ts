import { describe, expect, it } from 'vitest';
import { copiesWholeContext, suiteOfDockerfile } from './scan-checkout.js';

describe('copiesWholeContext: a Dockerfile that sees every file of the checkout', () => {
  it.each([
    ['COPY . .', true],
    ['COPY --chown=1001:0 . .', true],
    ['copy ./ /src/', true],
    ['ADD . /opt/app', true],
    ['COPY go.mod go.sum ./\nCOPY \\\n  . \\\n  /src', true],
    ['COPY go.mod go.sum ./', false],
    ['COPY cmd/gateway/ /src/cmd/gateway/', false],
    ['COPY --from=builder . .', false],
    ['RUN cp . /x', false],
  ])('%j → %s', (dockerfile, expected) => {
    expect(copiesWholeContext(`FROM scratch\n${dockerfile}\n`)).toBe(expected);
  });
});

describe('suiteOfDockerfile: the suite a kubernaut Dockerfile builds for', () => {
  it.each([
    ['gateway.Dockerfile', 'gateway'],
    ['data-storage.Dockerfile', 'datastorage'],
    ['notification-controller.runtime.Dockerfile', 'notification'],
    ['effectivenessmonitor-controller.Dockerfile', 'effectivenessmonitor'],
    ['db-migrate.Dockerfile', 'dbmigrate'],
  ])('%s → %s', (file, suite) => {
    expect(suiteOfDockerfile(file)).toBe(suite);
  });
});
