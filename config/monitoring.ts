// Prometheus and AlertManager as kubernaut's suites deploy them (`DeployPrometheus`, `DeployAlertManager`,
// `test/infrastructure/prometheus_alertmanager_e2e.go` at kubernaut d5a4a870967312d98dbc302ac2ae3505087bfcb0, "pa"
// below): used by the effectivenessmonitor, kubernautagent, apifrontend and fullpipeline suites.
import { defineStack, type RunContext } from '@kubernaut-e2e/setup';

/**
 * The suites run `prom/prometheus:latest` and `prom/alertmanager:latest` (pa:67-70); a declaration pins its images
 * (`:latest` changes under you), so these are the releases current when this was written.
 */
export const PROMETHEUS_IMAGE = 'docker.io/prom/prometheus:v3.5.0';
export const ALERTMANAGER_IMAGE = 'docker.io/prom/alertmanager:v0.28.1';

/**
 * `prometheus.yml` (pa:130-162): kubelet cAdvisor scraped through the node role every 10 s, keeping the four
 * container metrics the effectiveness monitor queries, alerts sent to `alertmanager-svc`, rules from
 * `/etc/prometheus/rules`.
 */
export function prometheusConfig(run: RunContext) {
  return {
    global: { scrape_interval: '15s', evaluation_interval: '15s' },
    scrape_configs: [
      {
        job_name: 'kubelet-cadvisor',
        scrape_interval: '10s',
        kubernetes_sd_configs: [{ role: 'node' }],
        scheme: 'https',
        tls_config: { insecure_skip_verify: true },
        bearer_token_file: '/var/run/secrets/kubernetes.io/serviceaccount/token',
        relabel_configs: [
          { action: 'labelmap', regex: '__meta_kubernetes_node_label_(.+)' },
          {
            source_labels: ['__meta_kubernetes_node_address_InternalIP'],
            target_label: '__address__',
            // Prometheus' own `${1}` (the first regex group), not a template.
            // biome-ignore lint/suspicious/noTemplateCurlyInString: Prometheus relabel syntax
            replacement: '${1}:10250',
          },
          { target_label: '__metrics_path__', replacement: '/metrics/cadvisor' },
        ],
        metric_relabel_configs: [
          {
            source_labels: ['__name__'],
            regex:
              'container_(cpu_usage_seconds_total|memory_working_set_bytes|memory_usage_bytes|spec_memory_limit_bytes)',
            action: 'keep',
          },
        ],
      },
    ],
    alerting: {
      alertmanagers: [
        { static_configs: [{ targets: [`alertmanager-svc.${run.namespace}.svc.cluster.local:9093`] }] },
      ],
    },
    rule_files: ['/etc/prometheus/rules/*.yml'],
  };
}

const rule = (
  name: string,
  alert: string,
  expr: string,
  labels: Record<string, string>,
  forDuration: string,
) => ({
  groups: [
    {
      name,
      interval: '10s',
      rules: [
        { alert, expr, for: forDuration, labels, annotations: { summary: `${alert} (kubernaut E2E rule)` } },
      ],
    },
  ],
});

/**
 * The alert rules every suite's Prometheus loads (pa:164-241): by name, expression, `for` and labels, which the
 * fullpipeline and fleet tests' alerts and the apifrontend's severity triage match on. The annotations are ours.
 */
export const PROMETHEUS_RULES = {
  'memory-eater.yml': rule(
    'memory-eater-oom.rules',
    'MemoryExceedsLimit',
    '(container_memory_working_set_bytes{namespace=~"fp-am-.*", pod=~"memory-eater-.*"} / ' +
      'container_spec_memory_limit_bytes{namespace=~"fp-am-.*", pod=~"memory-eater-.*"}) >= 0.90',
    { severity: 'critical' },
    '10s',
  ),
  'af-severity-grounding.yml': rule(
    'af-severity-grounding.rules',
    'MemoryEaterResourcePressure',
    'memory_eater_grounding_signal{namespace=~"fp-.*", kind="Deployment", name="memory-eater"} > 0',
    { severity: 'high' },
    '0s',
  ),
  'fleet-interactive-bridge-grounding.yml': rule(
    'fleet-interactive-bridge-grounding.rules',
    'KAInteractiveFleetBridgeGrounding',
    'vector(1) > 0',
    {
      severity: 'warning',
      source: 'prometheus',
      namespace: 'kubernaut-system',
      kind: 'Deployment',
      name: 'ka-interactive-fleet-target',
    },
    '0s',
  ),
};

/**
 * Prometheus (pa:87-345): the `prometheus` account bound cluster-wide to reading nodes, their proxy and metrics,
 * pods, services and endpoints and the `/metrics` paths (kubelet cAdvisor scraping), the config and rules
 * ConfigMaps, the remote-write and OTLP receivers the tests inject metrics through, `/-/ready` and `/-/healthy`
 * probes, Service `prometheus-svc` on node port 30190. A service publishes it on the host port `prometheus` (9190 in
 * every suite's kind config).
 */
export const prometheusStack = defineStack({
  name: 'prometheus',
  images: { prometheus: { ref: PROMETHEUS_IMAGE } },
  manifests: [
    {
      id: 'prometheus-rbac',
      // Written out: the ClusterRole's nonResourceURLs rule is not a deployment's `clusterRules`.
      objects: (run) => [
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'prometheus' } },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: { name: 'prometheus' },
          rules: [
            {
              apiGroups: [''],
              resources: ['nodes', 'nodes/proxy', 'nodes/metrics', 'pods', 'services', 'endpoints'],
              verbs: ['get', 'list', 'watch'],
            },
            { nonResourceURLs: ['/metrics', '/metrics/cadvisor'], verbs: ['get'] },
          ],
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: 'prometheus' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'prometheus' },
          subjects: [{ kind: 'ServiceAccount', name: 'prometheus', namespace: run.namespace }],
        },
      ],
    },
  ],
  configMaps: [
    {
      name: 'prometheus-rules',
      files: Object.fromEntries(
        Object.entries(PROMETHEUS_RULES).map(([file, groups]) => [file, { yaml: groups }]),
      ),
    },
  ],
  deployments: [
    {
      id: 'prometheus',
      image: 'prometheus',
      serviceName: 'prometheus-svc',
      serviceAccount: 'prometheus',
      dependsOn: ['prometheus-rbac'],
      args: [
        '--config.file=/etc/prometheus/prometheus.yml',
        '--web.enable-remote-write-receiver',
        '--web.enable-otlp-receiver',
        '--storage.tsdb.retention.time=1h',
        '--storage.tsdb.min-block-duration=5m',
        '--web.listen-address=:9090',
      ],
      ports: [{ name: 'http', port: 9090, nodePort: 30190 }],
      publish: { port: 'http', hostPort: 'prometheus', optional: true },
      configFiles: [
        {
          name: 'prometheus-config',
          mountPath: '/etc/prometheus',
          files: { 'prometheus.yml': { yaml: prometheusConfig } },
        },
      ],
      volumes: [
        { name: 'rules', mountPath: '/etc/prometheus/rules', source: { configMap: 'prometheus-rules' } },
      ],
      probes: {
        readiness: { path: '/-/ready', port: 'http', initialDelaySeconds: 5, periodSeconds: 5 },
        liveness: { path: '/-/healthy', port: 'http', initialDelaySeconds: 10, periodSeconds: 10 },
      },
      resources: { requests: { memory: '256Mi', cpu: '200m' }, limits: { memory: '768Mi', cpu: '3000m' } },
    },
  ],
});

/**
 * `alertmanager.yml` (pa:400-416): every alert to the gateway's Prometheus signal endpoint in the run's namespace
 * (the suites that deploy no gateway keep the route: AlertManager only logs the failed delivery).
 */
export function alertManagerConfig(run: RunContext) {
  return {
    global: { resolve_timeout: '1m' },
    route: { receiver: 'gateway-webhook', group_wait: '5s', group_interval: '5s', repeat_interval: '1h' },
    receivers: [
      {
        name: 'gateway-webhook',
        webhook_configs: [
          {
            url: `http://gateway-service.${run.namespace}.svc.cluster.local:8080/api/v1/signals/prometheus`,
            send_resolved: false,
          },
        ],
      },
    ],
  };
}

/**
 * AlertManager (pa:383-498) with no gateway token, as the effectivenessmonitor and kubernautagent suites pass
 * (`DeployAlertManager(…, "")`): Service `alertmanager-svc` on node port 30191, published on the host port
 * `alertmanager` (9193 in the suites' kind configs).
 */
export const alertManagerStack = defineStack({
  name: 'alertmanager',
  images: { alertmanager: { ref: ALERTMANAGER_IMAGE } },
  deployments: [
    {
      id: 'alertmanager',
      image: 'alertmanager',
      serviceName: 'alertmanager-svc',
      args: [
        '--config.file=/etc/alertmanager/alertmanager.yml',
        '--web.listen-address=:9093',
        '--log.level=debug',
      ],
      ports: [{ name: 'http', port: 9093, nodePort: 30191 }],
      publish: { port: 'http', hostPort: 'alertmanager', optional: true },
      configFiles: [
        {
          name: 'alertmanager-config',
          mountPath: '/etc/alertmanager',
          files: { 'alertmanager.yml': { yaml: alertManagerConfig } },
        },
      ],
      probes: {
        readiness: { path: '/-/ready', port: 'http', initialDelaySeconds: 5, periodSeconds: 5 },
        liveness: { path: '/-/healthy', port: 'http', initialDelaySeconds: 10, periodSeconds: 10 },
      },
      resources: { requests: { memory: '64Mi', cpu: '50m' }, limits: { memory: '128Mi', cpu: '250m' } },
    },
  ],
});
