/**
 * The small slice of the Kubernetes object model the deployers emit, as plain TypeScript types. They
 * exist so manifest functions are checked by the compiler instead of being YAML strings; only the
 * fields this package writes are modelled.
 */

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly secretKeyRef?: { readonly name: string; readonly key: string };
    readonly fieldRef?: { readonly fieldPath: string };
  };
}

export interface ContainerPort {
  readonly name: string;
  readonly containerPort: number;
  readonly protocol: 'TCP' | 'UDP';
}

export interface ProbeSpec {
  readonly httpGet?: {
    readonly path: string;
    readonly port: number | string;
    readonly scheme?: 'HTTP' | 'HTTPS';
  };
  readonly exec?: { readonly command: readonly string[] };
  readonly tcpSocket?: { readonly port: number | string };
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
}

export interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly readOnly?: boolean;
  readonly subPath?: string;
}

/** Which keys of a ConfigMap or Secret become which files. */
export interface KeyToPath {
  readonly key: string;
  readonly path: string;
}

export interface Volume {
  readonly name: string;
  readonly emptyDir?: Record<string, never>;
  readonly hostPath?: { readonly path: string; readonly type?: 'DirectoryOrCreate' | 'Directory' };
  readonly configMap?: {
    readonly name: string;
    readonly optional?: boolean;
    readonly items?: readonly KeyToPath[];
  };
  readonly secret?: {
    readonly secretName: string;
    readonly optional?: boolean;
    readonly items?: readonly KeyToPath[];
  };
  readonly projected?: {
    readonly sources: readonly (
      | { readonly secret: { readonly name: string; readonly items?: readonly KeyToPath[] } }
      | { readonly configMap: { readonly name: string; readonly items?: readonly KeyToPath[] } }
    )[];
  };
}

export interface ResourceRequirements {
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly imagePullPolicy: 'IfNotPresent' | 'Always' | 'Never';
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly ports: readonly ContainerPort[];
  readonly env?: readonly EnvVar[];
  readonly volumeMounts?: readonly VolumeMount[];
  readonly resources?: ResourceRequirements;
  readonly readinessProbe?: ProbeSpec;
  readonly livenessProbe?: ProbeSpec;
}

export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
}
