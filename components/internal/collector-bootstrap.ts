// Names, the deploy document and the user data of the collector fleet: generated text, kept pure so
// that tests read exactly what the instances and SSM receive.

/** Where an environment's objects, secrets and document live. Disjoint for every environment. */
export interface CollectorLayout {
    /** `configuration/<env>/`: the configuration the pipeline publishes and the agent syncs. */
    configPrefix: string;
    /** `agent/<env>/`: the agent bundle the instances install. */
    agentPrefix: string;
    /** `agent/<env>/agent.js`. */
    agentKey: string;
    /** `log-collection/<env>/`: the Secrets Manager names the collectors may read. */
    secretPrefix: string;
    /** `LogCollection-Deploy-<env>`: the only command the publisher may send. */
    documentName: string;
}

export function collectorLayout(environment: string): CollectorLayout {
    return {
        configPrefix: `configuration/${environment}/`,
        agentPrefix: `agent/${environment}/`,
        agentKey: `agent/${environment}/agent.js`,
        secretPrefix: `log-collection/${environment}/`,
        documentName: `LogCollection-Deploy-${environment}`,
    };
}

/** `arn:<partition>:secretsmanager:<region>:<account>:secret:log-collection/<env>/*` */
export function secretArnPattern(p: { partition: string; region: string; accountId: string; environment: string }): string {
    return `arn:${p.partition}:secretsmanager:${p.region}:${p.accountId}:secret:${collectorLayout(p.environment).secretPrefix}*`;
}

/** Paths on the collector instances; the agent's defaults, spelled out so the document shows them. */
export const INSTANCE_PATHS = {
    agent: "/opt/org-logging/agent.js",
    launcher: "/opt/org-logging/td-agent",
    healthCheck: "/opt/org-logging/td-agent-healthy",
    configDir: "/etc/td-agent",
    environmentFile: "/etc/sysconfig/td-agent",
    certsDir: "/etc/td-agent/certs",
    lockFile: "/run/org-logging-agent.lock",
    serviceUser: "td-agent",
    /** Public half of the key that signs manifest.json (written by the first boot when signing is configured). */
    manifestPublicKey: "/opt/org-logging/manifest-signing-key.pem",
} as const;

export interface SyncCommandParams {
    region: string;
    /** `s3://<bucket>/<prefix>` (SSM parameter references in the document, literal in user data). */
    source: string;
    deployTopicArn: string;
    /** TCP port the health command probes after a restart (the NLB health-check port). */
    healthCheckPort: number;
    /** Snapshots must carry a manifest signed by the key at INSTANCE_PATHS.manifestPublicKey. */
    requireSignature?: boolean;
}

/**
 * The one agent command line both the deploy document and the first boot run. Every argument but
 * the source is fixed here; the source's parts are constrained by the document's `allowedPattern`.
 */
export function agentSyncCommand(p: SyncCommandParams): string {
    const i = INSTANCE_PATHS;
    return [
        // The AWS SDK v3 does not read the region from instance metadata.
        `AWS_REGION=${p.region} node ${i.agent} sync`,
        `--source ${p.source}`,
        `--config-dir ${i.configDir}`,
        `--environment-file ${i.environmentFile}`,
        `--certs-dir ${i.certsDir}`,
        `--owner ${i.serviceUser}`,
        `--validate-command '${i.launcher} {environmentFile} --dry-run -c {configDir}/td-agent.conf'`,
        `--restart-command 'systemctl restart td-agent'`,
        `--health-command '${i.healthCheck} ${p.healthCheckPort}'`,
        `--topic-arn ${p.deployTopicArn}`,
        `--lock-file ${i.lockFile}`,
        ...(p.requireSignature ? [`--require-signature`, `--public-key ${i.manifestPublicKey}`] : []),
        `--json`,
    ].join(" ");
}

/** A regular expression that matches exactly `value`. */
export function exactPattern(value: string): string {
    return `^${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`;
}

export interface DeployDocumentParams {
    environment: string;
    region: string;
    bucketName: string;
    deployTopicArn: string;
    healthCheckPort: number;
    /** See SyncCommandParams.requireSignature. */
    requireSignature?: boolean;
}

/**
 * The SSM Command document (schema 2.2) the pipeline sends to the collectors. Its only parameters
 * are the bucket and the prefix, each pinned by `allowedPattern` to this environment's values, so a
 * caller can choose neither another bucket nor another environment nor any shell text.
 */
export function deployDocumentContent(p: DeployDocumentParams): Record<string, unknown> {
    const { configPrefix } = collectorLayout(p.environment);
    return {
        schemaVersion: "2.2",
        description: `Syncs the ${p.environment} log collector configuration from S3 and restarts Fluentd only when it changed (org-logging agent).`,
        parameters: {
            bucket: {
                type: "String",
                description: "Configuration bucket; only this environment's bucket is accepted.",
                default: p.bucketName,
                allowedPattern: exactPattern(p.bucketName),
            },
            prefix: {
                type: "String",
                description: `Configuration prefix; only ${configPrefix} is accepted.`,
                default: configPrefix,
                allowedPattern: exactPattern(configPrefix),
            },
        },
        mainSteps: [
            {
                action: "aws:runShellScript",
                name: "syncCollectorConfiguration",
                precondition: { StringEquals: ["platformType", "Linux"] },
                inputs: {
                    timeoutSeconds: "900",
                    runCommand: [
                        "set -eu",
                        "export PATH=/usr/local/bin:/usr/bin:/bin",
                        agentSyncCommand({
                            region: p.region,
                            source: "s3://{{bucket}}/{{prefix}}",
                            deployTopicArn: p.deployTopicArn,
                            healthCheckPort: p.healthCheckPort,
                            requireSignature: p.requireSignature,
                        }),
                    ],
                },
            },
        ],
    };
}

export interface UserDataParams {
    environment: string;
    region: string;
    accountId: string;
    bucketName: string;
    /** S3 version of the agent bundle: a new agent is a new launch template version, hence an instance refresh. */
    agentVersionId: string;
    deployTopicArn: string;
    healthCheckPort: number;
    /** Ports below 1024 need CAP_NET_BIND_SERVICE for the unprivileged service user. */
    bindsPrivilegedPorts: boolean;
    /** PEM of the manifest signing key's public half: when given, every sync requires a signed manifest. */
    manifestPublicKeyPem?: string;
}

/**
 * First-boot script: installs Fluentd (fluent-package 5 LTS, signature-checked) run as the
 * `td-agent` service the agent manages, installs the pinned agent bundle from the configuration
 * bucket and runs the first sync. Nothing is changed on a running instance afterwards except by
 * the deploy document: new software means a new launch template version and an instance refresh.
 */
export function collectorUserData(p: UserDataParams): string {
    const i = INSTANCE_PATHS;
    const { configPrefix, agentKey } = collectorLayout(p.environment);
    const sync = agentSyncCommand({
        region: p.region,
        source: `s3://${p.bucketName}/${configPrefix}`,
        deployTopicArn: p.deployTopicArn,
        healthCheckPort: p.healthCheckPort,
        requireSignature: p.manifestPublicKeyPem !== undefined,
    });
    const publicKey =
        p.manifestPublicKeyPem === undefined
            ? ""
            : `install -d -m 0755 $(dirname ${i.manifestPublicKey})\ncat > ${i.manifestPublicKey} <<'PUBLICKEY'\n${p.manifestPublicKeyPem.trim()}\nPUBLICKEY\nchmod 0644 ${i.manifestPublicKey}\n`;
    return `#!/bin/bash
# org-logging collector bootstrap (${p.environment})
set -euo pipefail

rpm --import https://packages.treasuredata.com/GPG-KEY-td-agent
rpm --import https://packages.treasuredata.com/GPG-KEY-fluent-package
cat > /etc/yum.repos.d/fluent-package-lts.repo <<'REPO'
[fluent-package-lts]
name=Fluentd LTS (fluent-package 5)
baseurl=https://packages.treasuredata.com/lts/5/amazon/2023/$basearch
enabled=1
gpgcheck=1
gpgkey=https://packages.treasuredata.com/GPG-KEY-td-agent https://packages.treasuredata.com/GPG-KEY-fluent-package
REPO
dnf install -y fluent-package nodejs20
# The packaged fluentd.service would bind the same ports: the agent manages td-agent only.
systemctl disable --now fluentd.service || true
systemctl mask fluentd.service
ln -sf /usr/bin/node-20 /usr/local/bin/node

id ${i.serviceUser} >/dev/null 2>&1 || useradd --system --home-dir /var/lib/td-agent --shell /sbin/nologin ${i.serviceUser}
# The agent creates ${i.configDir}, ${i.certsDir} and ${i.environmentFile} (as links to its generations) on the first sync.
install -d -o ${i.serviceUser} -g ${i.serviceUser} -m 0750 /var/lib/td-agent /var/log/td-agent
install -d -m 0755 /opt/org-logging

cat > ${i.launcher} <<'LAUNCHER'
#!/bin/sh
# usage: td-agent <environment file> <fluentd arguments...>
# Loads the secrets the agent rendered (export NAME="value") and runs Fluentd with them.
set -eu
environment_file="$1"
shift
if [ -f "$environment_file" ]; then
  set -a
  . "$environment_file"
  set +a
fi
exec /opt/fluent/bin/fluentd "$@"
LAUNCHER

cat > ${i.healthCheck} <<'HEALTH'
#!/bin/bash
# usage: td-agent-healthy <port>: the service is active and accepts TCP on the NLB health-check port.
for _ in $(seq 1 30); do
  if systemctl is-active --quiet td-agent && (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    exit 0
  fi
  sleep 1
done
exit 1
HEALTH
chmod 0755 ${i.launcher} ${i.healthCheck}

cat > /etc/systemd/system/td-agent.service <<'UNIT'
[Unit]
Description=Fluentd log collector (org-logging)
After=network-online.target
Wants=network-online.target

[Service]
User=${i.serviceUser}
Group=${i.serviceUser}
ExecStart=${i.launcher} ${i.environmentFile} -c ${i.configDir}/td-agent.conf --log /var/log/td-agent/td-agent.log
Restart=on-failure
LimitNOFILE=65536
${p.bindsPrivilegedPorts ? "AmbientCapabilities=CAP_NET_BIND_SERVICE\n" : ""}
[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable td-agent.service

aws s3api get-object --region ${p.region} --expected-bucket-owner ${p.accountId} --bucket ${p.bucketName} --key ${agentKey} --version-id ${p.agentVersionId} ${i.agent}
chmod 0644 ${i.agent}
${publicKey}
# First sync. If it fails (nothing published yet, invalid configuration) Fluentd stays down, the NLB
# health check fails and the Auto Scaling group replaces the instance: no collector runs without a
# validated configuration.
${sync}
`;
}
