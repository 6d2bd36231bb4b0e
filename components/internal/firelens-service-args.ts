// FireLensService's Args, their defaults and their checks. `resolveFireLensServiceArgs` applies every
// default once and reports every problem together; the component uses only the resolved values.
import * as pulumi from "@pulumi/pulumi";
import { FluentBitFilter, FluentBitParser, fluentBitProblems } from "./fluent-bit-config";
import { assertNoProblems, logRetentionProblem, WithDefaults } from "./validation";

/** The AWS for Fluent Bit image with the init process (S3 config loading); pinned, never `latest`. */
export const DEFAULT_FLUENT_BIT_IMAGE = "public.ecr.aws/aws-observability/aws-for-fluent-bit:init-2.32.2.20240425";

/** Fluent forward port that FireLens opens in the log router; it must never be published. */
export const FLUENT_FORWARD_PORT = 24224;

export type FirehoseCompression = "GZIP" | "ZIP" | "Snappy" | "HADOOP_SNAPPY" | "UNCOMPRESSED";

export interface FireLensServiceArgs {
    /**
     * Name of the service: the task family, the `firelens/<account id>/<service>/` prefix in the archive and the
     * Firehose role `firelens-<service>-firehose` that the archive's policies admit. Plain: it names
     * physical resources. 1-32 lower-case letters, digits and dashes.
     */
    readonly serviceName: string;
    /** The application's container image. Private ECR images get pull rights on their repository only. */
    readonly image: pulumi.Input<string>;
    /** Port the application listens on. Plain: validated (it must not be the log router's 24224). */
    readonly containerPort: number;
    /** Variables for the application container. @default - none */
    readonly environment?: Readonly<Record<string, pulumi.Input<string>>>;
    /** Task CPU units. Plain: validated against the Fargate sizes. @default 512 */
    readonly cpu?: number;
    /** Task memory in MiB. Plain: validated against the log router's reservation. @default 1024 */
    readonly memoryMiB?: number;
    /** @default 2 */
    readonly desiredCount?: pulumi.Input<number>;
    /**
     * Cluster to run in.
     * @default - a cluster with Container Insights is created
     */
    readonly clusterArn?: pulumi.Input<string>;
    /** VPC of the tasks. */
    readonly vpcId: pulumi.Input<string>;
    /** Private subnets of the tasks; they get no public IP. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Security group (usually the load balancer's) allowed to reach `containerPort`. Nothing else may
     * connect to the tasks.
     * @default - no inbound traffic
     */
    readonly ingressSecurityGroupId?: pulumi.Input<string>;
    /**
     * Target group the service registers its tasks in (`ip` targets on `containerPort`).
     * @default - the service is not behind a load balancer
     */
    readonly targetGroupArn?: pulumi.Input<string>;
    /** ARN of the log archive's applicationLogs bucket (log-archive account), the Firehose destination. */
    readonly archiveBucketArn: pulumi.Input<string>;
    /** ARN of the key that encrypts that bucket; Firehose encrypts the objects it writes with it. */
    readonly archiveKeyArn: pulumi.Input<string>;
    /** Firehose buffer size before delivery, 1-128 MiB. Plain: validated. @default 5 */
    readonly firehoseBufferingSizeMiB?: number;
    /** Firehose buffer time before delivery, 0-900 seconds. Plain: validated. @default 300 */
    readonly firehoseBufferingIntervalSeconds?: number;
    /** Compression of the archived objects. @default "GZIP" */
    readonly compression?: FirehoseCompression;
    /**
     * Retention of the CloudWatch Logs groups (a value CloudWatch accepts). The archive keeps the
     * long-term copy, but shorter than a year loses the searchable one. Plain: validated.
     * @default 365
     */
    readonly logRetentionDays?: number;
    /** Fluent Bit filters applied to the application's records before both outputs. @default - none */
    readonly filters?: readonly FluentBitFilter[];
    /** Fluent Bit parsers the filters refer to. @default - none */
    readonly parsers?: readonly FluentBitParser[];
    /**
     * Memory the application's records may buffer in the log router (`Emitter_Mem_Buf_Limit`) before
     * ingestion pauses. Plain: validated against the reservation.
     * @default 32
     */
    readonly memBufLimitMiB?: number;
    /**
     * Memory reserved for the log router, MiB. AWS observes Fluent Bit staying under twice the sum of
     * its buffer limits, so it must be at least 2 x `memBufLimitMiB` (Fluent Bit's published figure is
     * 65 MB at 10,000 lines/s).
     * @default 128
     */
    readonly logRouterMemoryReservationMiB?: number;
    /** @default DEFAULT_FLUENT_BIT_IMAGE (an `init-` tag: the S3 config loading needs the init process) */
    readonly fluentBitImage?: pulumi.Input<string>;
}

const SERVICE_NAME = /^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
const FARGATE_CPU = [256, 512, 1024, 2048, 4096, 8192, 16384];
const COMPRESSION: FirehoseCompression[] = ["GZIP", "ZIP", "Snappy", "HADOOP_SNAPPY", "UNCOMPRESSED"];

const isInt = (v: number) => Number.isInteger(v);

/** FireLensServiceArgs with every default applied, as the component uses them. */
export type ResolvedFireLensServiceArgs = WithDefaults<
    FireLensServiceArgs,
    | "cpu"
    | "memoryMiB"
    | "memBufLimitMiB"
    | "logRouterMemoryReservationMiB"
    | "firehoseBufferingSizeMiB"
    | "firehoseBufferingIntervalSeconds"
    | "logRetentionDays"
    | "filters"
    | "parsers"
    | "fluentBitImage"
    | "compression"
    | "environment"
    | "desiredCount"
>;

/**
 * Applies the defaults of the Args (each once) and checks them; throws one `pulumi.ResourceError`
 * listing every problem, one per line (at `parent`, the component, when given).
 */
export function resolveFireLensServiceArgs(args: FireLensServiceArgs, parent?: pulumi.Resource): ResolvedFireLensServiceArgs {
    const resolved: ResolvedFireLensServiceArgs = {
        ...args,
        cpu: args.cpu ?? 512,
        memoryMiB: args.memoryMiB ?? 1024,
        memBufLimitMiB: args.memBufLimitMiB ?? 32,
        logRouterMemoryReservationMiB: args.logRouterMemoryReservationMiB ?? 128,
        firehoseBufferingSizeMiB: args.firehoseBufferingSizeMiB ?? 5,
        firehoseBufferingIntervalSeconds: args.firehoseBufferingIntervalSeconds ?? 300,
        logRetentionDays: args.logRetentionDays ?? 365,
        filters: args.filters ?? [],
        parsers: args.parsers ?? [],
        fluentBitImage: args.fluentBitImage ?? DEFAULT_FLUENT_BIT_IMAGE,
        compression: args.compression ?? "GZIP",
        environment: args.environment ?? {},
        desiredCount: args.desiredCount ?? 2,
    };
    const problems: string[] = [];
    if (!SERVICE_NAME.test(args.serviceName)) {
        problems.push(
            `\`serviceName\` ("${args.serviceName}") is not a service name. Use 1-32 lower-case letters, digits and "-", starting with a letter and not ending with "-"`,
        );
    }
    if (!isInt(args.containerPort) || args.containerPort < 1 || args.containerPort > 65535) {
        problems.push(`\`containerPort\` (${args.containerPort}) is not a TCP port. Use a whole number from 1 to 65535`);
    } else if (args.containerPort === FLUENT_FORWARD_PORT) {
        problems.push(
            `\`containerPort\` (${FLUENT_FORWARD_PORT}) is the log router's Fluent forward port, which must never be exposed. Let the application listen on another port`,
        );
    }
    const cpu = resolved.cpu;
    if (!FARGATE_CPU.includes(cpu)) {
        problems.push(`\`cpu\` (${cpu}) is not a Fargate task size. Use one of ${FARGATE_CPU.join(", ")}`);
    }
    const memory = resolved.memoryMiB;
    const memBufLimit = resolved.memBufLimitMiB;
    const reservation = resolved.logRouterMemoryReservationMiB;
    if (!isInt(memBufLimit) || memBufLimit < 1) {
        problems.push(`\`memBufLimitMiB\` (${memBufLimit}) must be a whole number of MiB, at least 1`);
    }
    if (!isInt(reservation) || reservation < 2 * memBufLimit) {
        problems.push(
            `\`logRouterMemoryReservationMiB\` (${reservation}) is less than twice \`memBufLimitMiB\` (${memBufLimit}); Fluent Bit can use up to twice its buffer limit. Raise the reservation to at least ${2 * memBufLimit} or lower the limit`,
        );
    }
    if (!isInt(memory) || memory < 512) {
        problems.push(`\`memoryMiB\` (${memory}) is not a Fargate task memory size. Use a whole number of MiB, at least 512`);
    } else if (reservation >= memory) {
        problems.push(
            `\`logRouterMemoryReservationMiB\` (${reservation}) leaves no memory for the application in a task of \`memoryMiB\` ${memory}. Raise \`memoryMiB\``,
        );
    }
    const size = resolved.firehoseBufferingSizeMiB;
    if (!isInt(size) || size < 1 || size > 128) {
        problems.push(`\`firehoseBufferingSizeMiB\` (${size}) is outside what Firehose accepts. Use a whole number from 1 to 128`);
    }
    const interval = resolved.firehoseBufferingIntervalSeconds;
    if (!isInt(interval) || interval < 0 || interval > 900) {
        problems.push(
            `\`firehoseBufferingIntervalSeconds\` (${interval}) is outside what Firehose accepts. Use a whole number from 0 to 900`,
        );
    }
    if (args.compression !== undefined && !COMPRESSION.includes(args.compression)) {
        problems.push(
            `\`compression\` ("${String(args.compression)}") is not a Firehose compression format. Use one of ${COMPRESSION.join(", ")}`,
        );
    }
    const retentionProblem = logRetentionProblem("logRetentionDays", resolved.logRetentionDays);
    if (retentionProblem) {
        problems.push(retentionProblem);
    }
    problems.push(...fluentBitProblems(resolved.filters, resolved.parsers));
    assertNoProblems("FireLensService", problems, parent);
    return resolved;
}
