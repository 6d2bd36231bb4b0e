import * as assert from "assert";
import type { FireLensServiceArgs } from "../../components/firelens-service";
import { ofType, policyOf, RecordedResource, runUnderMocks, single, statement } from "../support/harness";

const WORKLOAD = "444444444444";
const ARCHIVE_BUCKET_ARN = "arn:aws:s3:::org-logging-application-logs-222222222222";
const ARCHIVE_KEY_ARN = "arn:aws:kms:eu-west-1:222222222222:key/0a1b2c3d-1111-2222-3333-444455556666";
const APP_IMAGE = "444444444444.dkr.ecr.eu-west-1.amazonaws.com/payments/api:1.4.2";

const ARGS: FireLensServiceArgs = {
    serviceName: "payments-api",
    image: APP_IMAGE,
    containerPort: 8080,
    environment: { LOG_FORMAT: "json" },
    vpcId: "vpc-0123456789abcdef0",
    subnetIds: ["subnet-0aaa", "subnet-0bbb"],
    ingressSecurityGroupId: "sg-0alb000000000000",
    targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:444444444444:targetgroup/payments/0123456789abcdef",
    archiveBucketArn: ARCHIVE_BUCKET_ARN,
    archiveKeyArn: ARCHIVE_KEY_ARN,
    firehoseBufferingSizeMiB: 8,
    firehoseBufferingIntervalSeconds: 120,
    compression: "GZIP",
    filters: [{ name: "parser", properties: { Key_Name: "log", Parser: "app_json", Reserve_Data: "On" } }],
    parsers: [{ name: "app_json", format: "json", timeKey: "ts", timeFormat: "%Y-%m-%dT%H:%M:%S.%LZ" }],
};

const TYPES = {
    key: "aws:kms/key:Key",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    bucket: "aws:s3/bucket:Bucket",
    object: "aws:s3/bucketObjectv2:BucketObjectv2",
    stream: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    service: "aws:ecs/service:Service",
    cluster: "aws:ecs/cluster:Cluster",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
};

async function build(args: FireLensServiceArgs = ARGS): Promise<RecordedResource[]> {
    const aws = await import("@pulumi/aws");
    const { FireLensService } = await import("../../components/firelens-service");
    const { resources } = await runUnderMocks(() => {
        const provider = new aws.Provider("workload", {
            region: "eu-west-1",
            assumeRoles: [{ roleArn: `arn:aws:iam::${WORKLOAD}:role/Deployer` }],
            allowedAccountIds: [WORKLOAD],
        });
        return new FireLensService("payments", args, { provider }).fluentBitConfig;
    });
    return resources;
}

const containers = (resources: RecordedResource[]) =>
    JSON.parse(String(single(resources, TYPES.taskDefinition).inputs.containerDefinitions)) as Array<Record<string, any>>;
const container = (resources: RecordedResource[], name: string) => {
    const found = containers(resources).find((c) => c.name === name);
    assert.ok(found, `no container ${name}`);
    return found;
};
/** The sections of a Fluent Bit classic-mode file, each as its name and `key value` entries. */
function sectionsOf(text: string): Array<Record<string, string>> {
    const sections: Array<Record<string, string>> = [];
    for (const line of text.split("\n")) {
        const header = /^\[([A-Z_]+)\]$/.exec(line);
        if (header) {
            sections.push({ section: header[1] });
        } else if (/^\s+\S/.test(line)) {
            const [, key, value] = /^\s+(\S+)\s+(.*)$/.exec(line) ?? [];
            sections[sections.length - 1][key] = value;
        }
    }
    return sections;
}
const arnOf = (resources: RecordedResource[], type: string, name: string) => String(single(resources, type, name).state.arn);

describe("components/FireLensService", () => {
    let resources: RecordedResource[];
    before(async () => {
        resources = await build();
    });

    it("creates exactly its children, all in the workload account", () => {
        const counts = Object.fromEntries(Object.entries(TYPES).map(([k, type]) => [k, ofType(resources, type).length]));
        assert.deepStrictEqual(counts, {
            key: 1,
            logGroup: 3,
            role: 3,
            rolePolicy: 3,
            bucket: 1,
            object: 2,
            stream: 1,
            taskDefinition: 1,
            service: 1,
            cluster: 1,
            ingress: 1,
            egress: 1,
        });
        for (const r of resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))) {
            assert.strictEqual(r.account, WORKLOAD, r.urn);
            assert.ok(r.parent?.endsWith("orglog:index:FireLensService::payments"), `${r.urn} parent ${r.parent}`);
        }
    });

    it("runs the AWS for Fluent Bit init image as an essential FireLens sidecar that loads the rendered config from S3", () => {
        const router = container(resources, "log-router");
        assert.strictEqual(router.image, "public.ecr.aws/aws-observability/aws-for-fluent-bit:init-2.32.2.20240425");
        assert.strictEqual(router.essential, true);
        assert.strictEqual(router.memoryReservation, 128);
        // config-file-type=s3 is not available on Fargate and a file path would need a custom image.
        assert.deepStrictEqual(router.firelensConfiguration, { type: "fluentbit", options: { "enable-ecs-log-metadata": "true" } });
        const bucket = String(single(resources, TYPES.bucket).state.bucket);
        const keys = Object.fromEntries(ofType(resources, TYPES.object).map((o) => [o.name, String(o.inputs.key)]));
        assert.match(keys["payments-service-config"], /^fluent-bit\/[0-9a-f]{16}\/service\.conf$/);
        assert.match(keys["payments-parsers-config"], /^fluent-bit\/[0-9a-f]{16}\/parsers\.conf$/);
        assert.deepStrictEqual(router.environment, [
            { name: "aws_fluent_bit_init_s3_1", value: `arn:aws:s3:::${bucket}/${keys["payments-service-config"]}` },
            { name: "aws_fluent_bit_init_s3_2", value: `arn:aws:s3:::${bucket}/${keys["payments-parsers-config"]}` },
        ]);
        const routerLogs = single(resources, TYPES.logGroup, "payments-log-router-logs");
        assert.deepStrictEqual(router.logConfiguration, {
            logDriver: "awslogs",
            options: { "awslogs-group": routerLogs.inputs.name, "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "log-router" },
        });
    });

    it("sends the application's output through FireLens and publishes only the application port", () => {
        const app = container(resources, "app");
        assert.strictEqual(app.image, APP_IMAGE);
        assert.strictEqual(app.essential, true);
        assert.deepStrictEqual(app.logConfiguration, { logDriver: "awsfirelens" });
        assert.deepStrictEqual(app.dependsOn, [{ containerName: "log-router", condition: "START" }]);
        assert.deepStrictEqual(app.environment, [{ name: "LOG_FORMAT", value: "json" }]);
        const published = containers(resources).flatMap((c) => (c.portMappings ?? []).map((m: any) => m.containerPort));
        assert.deepStrictEqual(published, [8080]);
        const ingress = ofType(resources, TYPES.ingress);
        assert.deepStrictEqual(
            ingress.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.referencedSecurityGroupId]),
            [[8080, 8080, "sg-0alb000000000000"]],
        );
        const egress = single(resources, TYPES.egress).inputs;
        assert.deepStrictEqual([egress.fromPort, egress.toPort, egress.cidrIpv4], [443, 443, "0.0.0.0/0"]);
        for (const rule of [...ingress, ...ofType(resources, TYPES.egress)]) {
            assert.ok(String(rule.inputs.description).length > 0, `${rule.name} has no description`);
        }
        const service = single(resources, TYPES.service).inputs as any;
        assert.strictEqual(service.networkConfiguration.assignPublicIp, false);
        assert.deepStrictEqual(service.networkConfiguration.securityGroups, [
            single(resources, "aws:ec2/securityGroup:SecurityGroup").state.id,
        ]);
        assert.deepStrictEqual(service.loadBalancers, [{ targetGroupArn: ARGS.targetGroupArn, containerName: "app", containerPort: 8080 }]);
        assert.strictEqual(service.launchType, "FARGATE");
    });

    it("runs on Fargate with separate task and execution roles", () => {
        const td = single(resources, TYPES.taskDefinition).inputs;
        assert.deepStrictEqual(td.requiresCompatibilities, ["FARGATE"]);
        assert.strictEqual(td.networkMode, "awsvpc");
        assert.strictEqual(td.family, "payments-api");
        assert.strictEqual(td.taskRoleArn, arnOf(resources, TYPES.role, "payments-task-role"));
        assert.strictEqual(td.executionRoleArn, arnOf(resources, TYPES.role, "payments-execution-role"));
        assert.notStrictEqual(td.taskRoleArn, td.executionRoleArn);
        for (const role of ["payments-task-role", "payments-execution-role"]) {
            assert.deepStrictEqual(statement(single(resources, TYPES.role, role).inputs.assumeRolePolicy, "EcsTasksOfThisAccount"), {
                Sid: "EcsTasksOfThisAccount",
                Effect: "Allow",
                Principal: { Service: "ecs-tasks.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": WORKLOAD },
                    ArnLike: { "aws:SourceArn": `arn:aws:ecs:eu-west-1:${WORKLOAD}:*` },
                },
            });
        }
    });

    it("lets the task role read exactly the rendered config objects, put to its stream and write its log group", () => {
        const bucketArn = arnOf(resources, TYPES.bucket, "payments-config-bucket");
        const objectArns = ofType(resources, TYPES.object)
            .sort((a, b) => a.name.localeCompare(b.name))
            .reverse()
            .map((o) => `${bucketArn}/${o.inputs.key}`);
        const appLogs = arnOf(resources, TYPES.logGroup, "payments-app-logs");
        const policy = policyOf(single(resources, TYPES.rolePolicy, "payments-task-role-policy").inputs.policy);
        assert.deepStrictEqual(policy.Statement, [
            { Sid: "ReadFluentBitConfig", Effect: "Allow", Action: "s3:GetObject", Resource: objectArns },
            { Sid: "LocateFluentBitConfigBucket", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: bucketArn },
            {
                Sid: "DecryptFluentBitConfig",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: arnOf(resources, TYPES.key, "payments-key"),
                Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
            },
            {
                Sid: "SendToFirehose",
                Effect: "Allow",
                Action: "firehose:PutRecordBatch",
                Resource: arnOf(resources, TYPES.stream, "payments-delivery-stream"),
            },
            {
                Sid: "WriteApplicationLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: [appLogs, `${appLogs}:log-stream:*`],
            },
        ]);
        assert.match(objectArns[0], /\/service\.conf$/);
    });

    it("lets the execution role pull only the application's ECR repository and write the router's own log group", () => {
        const routerLogs = arnOf(resources, TYPES.logGroup, "payments-log-router-logs");
        const policy = policyOf(single(resources, TYPES.rolePolicy, "payments-execution-role-policy").inputs.policy);
        assert.deepStrictEqual(policy.Statement, [
            {
                Sid: "WriteLogRouterLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: [routerLogs, `${routerLogs}:log-stream:*`],
            },
            { Sid: "EcrAuthorizationToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            {
                Sid: "PullTaskImages",
                Effect: "Allow",
                Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
                Resource: ["arn:aws:ecr:eu-west-1:444444444444:repository/payments/api"],
            },
        ]);
    });

    it("delivers to the archive bucket under firelens/<account id>/<service>/ by day, encrypted at rest on both sides", () => {
        const stream = single(resources, TYPES.stream).inputs as any;
        assert.strictEqual(stream.destination, "extended_s3");
        assert.deepStrictEqual(stream.serverSideEncryption, {
            enabled: true,
            keyType: "CUSTOMER_MANAGED_CMK",
            keyArn: arnOf(resources, TYPES.key, "payments-key"),
        });
        const s3 = stream.extendedS3Configuration;
        assert.strictEqual(s3.bucketArn, ARCHIVE_BUCKET_ARN);
        assert.strictEqual(s3.kmsKeyArn, ARCHIVE_KEY_ARN);
        assert.strictEqual(
            s3.prefix,
            "firelens/444444444444/payments-api/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
        );
        assert.strictEqual(
            s3.errorOutputPrefix,
            "firelens/444444444444/payments-api/errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
        );
        assert.deepStrictEqual([s3.bufferingSize, s3.bufferingInterval, s3.compressionFormat], [8, 120, "GZIP"]);
        assert.strictEqual(s3.roleArn, arnOf(resources, TYPES.role, "payments-firehose-role"));
        assert.strictEqual(s3.cloudwatchLoggingOptions.enabled, true);
    });

    it("names the Firehose role firelens-<service>-firehose and lets it write only its own prefix", () => {
        const role = single(resources, TYPES.role, "payments-firehose-role");
        assert.strictEqual(role.inputs.name, "firelens-payments-api-firehose");
        assert.strictEqual(role.state.arn, "arn:aws:iam::444444444444:role/firelens-payments-api-firehose");
        assert.deepStrictEqual(policyOf(role.inputs.assumeRolePolicy).Statement, [
            {
                Sid: "FirehoseOfThisAccount",
                Effect: "Allow",
                Principal: { Service: "firehose.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "sts:ExternalId": WORKLOAD } },
            },
        ]);
        const firehoseLogs = arnOf(resources, TYPES.logGroup, "payments-firehose-logs");
        assert.deepStrictEqual(policyOf(single(resources, TYPES.rolePolicy, "payments-firehose-role-policy").inputs.policy).Statement, [
            {
                Sid: "WriteServicePrefix",
                Effect: "Allow",
                Action: ["s3:PutObject", "s3:PutObjectAcl", "s3:GetObject", "s3:AbortMultipartUpload"],
                Resource: `${ARCHIVE_BUCKET_ARN}/firelens/444444444444/payments-api/*`,
            },
            {
                Sid: "LocateArchiveBucket",
                Effect: "Allow",
                Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
                Resource: ARCHIVE_BUCKET_ARN,
            },
            {
                Sid: "EncryptWithArchiveKey",
                Effect: "Allow",
                Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                Resource: ARCHIVE_KEY_ARN,
                Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
            },
            { Sid: "LogDeliveryErrors", Effect: "Allow", Action: "logs:PutLogEvents", Resource: `${firehoseLogs}:log-stream:*` },
        ]);
    });

    it("renders both outputs, the buffer limit and the filters into the config object, and parsers into their own object", () => {
        const objects = Object.fromEntries(ofType(resources, TYPES.object).map((o) => [o.name, String(o.inputs.content)]));
        const config = objects["payments-service-config"];
        const stream = single(resources, TYPES.stream).inputs.name;
        assert.deepStrictEqual(sectionsOf(config), [
            {
                section: "FILTER",
                Name: "rewrite_tag",
                Match: "app-firelens-*",
                Rule: "$source ^(stdout|stderr)$ app.payments-api false",
                Emitter_Name: "app_buffer",
                "Emitter_Storage.type": "memory",
                Emitter_Mem_Buf_Limit: "32MB",
            },
            { section: "FILTER", Name: "parser", Match: "app.payments-api", Key_Name: "log", Parser: "app_json", Reserve_Data: "On" },
            {
                section: "OUTPUT",
                Name: "cloudwatch_logs",
                Match: "app.payments-api",
                region: "eu-west-1",
                log_group_name: "/org-logging/firelens/payments-api/app",
                log_stream_name: "payments-api/${ECS_TASK_ID}",
                auto_create_group: "false",
                retry_limit: "5",
            },
            {
                section: "OUTPUT",
                Name: "kinesis_firehose",
                Match: "app.payments-api",
                region: "eu-west-1",
                delivery_stream: stream,
                time_key: "time",
                retry_limit: "5",
            },
        ]);
        // A file with a [PARSER] section is loaded with -R by the init process, so outputs must never share it.
        assert.ok(!config.includes("[PARSER]"));
        assert.strictEqual(
            objects["payments-parsers-config"],
            "[PARSER]\n    Name        app_json\n    Format      json\n    Time_Key    ts\n    Time_Format %Y-%m-%dT%H:%M:%S.%LZ\n",
        );
        for (const o of ofType(resources, TYPES.object)) {
            assert.strictEqual(o.inputs.serverSideEncryption, "aws:kms");
            assert.strictEqual(o.inputs.kmsKeyId, arnOf(resources, TYPES.key, "payments-key"));
        }
    });

    it("encrypts its log groups with its rotating key, which CloudWatch Logs may use for the service's groups only", () => {
        const key = single(resources, TYPES.key);
        assert.strictEqual(key.inputs.enableKeyRotation, true);
        const groups = ofType(resources, TYPES.logGroup).map((g) => [g.inputs.name, g.inputs.retentionInDays, g.inputs.kmsKeyId]);
        assert.deepStrictEqual(groups.sort(), [
            ["/org-logging/firelens/payments-api/app", 365, key.state.arn],
            ["/org-logging/firelens/payments-api/firehose", 365, key.state.arn],
            ["/org-logging/firelens/payments-api/log-router", 365, key.state.arn],
        ]);
        assert.deepStrictEqual(statement(key.inputs.policy, "CloudWatchLogsEncryptsServiceLogGroups").Condition, {
            ArnLike: {
                "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:444444444444:log-group:/org-logging/firelens/payments-api/*",
            },
        });
        assert.deepStrictEqual(statement(key.inputs.policy, "CloudWatchLogsEncryptsServiceLogGroups").Principal, {
            Service: "logs.eu-west-1.amazonaws.com",
        });
    });

    it("keeps the config bucket private, versioned, KMS-encrypted and TLS-only", () => {
        const bucketArn = arnOf(resources, TYPES.bucket, "payments-config-bucket");
        const block = single(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
        for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
            assert.strictEqual(block[flag], true, flag);
        }
        assert.strictEqual(
            (single(resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule as any).objectOwnership,
            "BucketOwnerEnforced",
        );
        assert.strictEqual(
            (single(resources, "aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration as any).status,
            "Enabled",
        );
        const sse = (
            single(resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs
                .rules as any[]
        )[0];
        assert.deepStrictEqual(sse.applyServerSideEncryptionByDefault, {
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: arnOf(resources, TYPES.key, "payments-key"),
        });
        assert.deepStrictEqual(
            statement(single(resources, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy, "DenyInsecureTransport").Resource,
            [bucketArn, `${bucketArn}/*`],
        );
    });

    it("uses a given cluster, grants no ECR pull for public images and omits the parsers object without parsers", async () => {
        const other = await build({
            ...ARGS,
            image: "public.ecr.aws/nginx/nginx:1.27",
            clusterArn: "arn:aws:ecs:eu-west-1:444444444444:cluster/shared",
            parsers: [],
            filters: [],
        });
        assert.strictEqual(ofType(other, TYPES.cluster).length, 0);
        assert.strictEqual(single(other, TYPES.service).inputs.cluster, "arn:aws:ecs:eu-west-1:444444444444:cluster/shared");
        assert.deepStrictEqual(
            ofType(other, TYPES.object).map((o) => o.name),
            ["payments-service-config"],
        );
        assert.deepStrictEqual(
            container(other, "log-router").environment.map((e: any) => e.name),
            ["aws_fluent_bit_init_s3_1"],
        );
        const sids = policyOf(single(other, TYPES.rolePolicy, "payments-execution-role-policy").inputs.policy).Statement.map((s) => s.Sid);
        assert.deepStrictEqual(sids, ["WriteLogRouterLogs"]);
        // Different content, different object: a config change is a new task definition revision.
        const key = (rs: RecordedResource[]) => single(rs, TYPES.object, "payments-service-config").inputs.key;
        assert.notStrictEqual(key(other), key(resources));
    });
});

describe("components/FireLensService rendering and validation", () => {
    it("renders the complete Fluent Bit config for the given outputs", async () => {
        const { renderFluentBitConfig } = await import("../../components/internal/fluent-bit-config");
        const text = renderFluentBitConfig({
            serviceName: "web",
            appContainerName: "app",
            region: "eu-west-1",
            logGroupName: "/org-logging/firelens/web/app",
            deliveryStreamName: "firelens-web",
            memBufLimitMiB: 16,
            filters: [{ name: "grep", properties: { Exclude: "log ^GET /health" } }],
        });
        assert.strictEqual(
            text,
            [
                '# Rendered by orglog:index:FireLensService for "web"; do not edit (the next deployment overwrites it).',
                "",
                "# FireLens generates the stdout/stderr input without Mem_Buf_Limit; moving the records into this emitter bounds their buffer.",
                "[FILTER]",
                "    Name                  rewrite_tag",
                "    Match                 app-firelens-*",
                "    Rule                  $source ^(stdout|stderr)$ app.web false",
                "    Emitter_Name          app_buffer",
                "    Emitter_Storage.type  memory",
                "    Emitter_Mem_Buf_Limit 16MB",
                "",
                "[FILTER]",
                "    Name    grep",
                "    Match   app.web",
                "    Exclude log ^GET /health",
                "",
                "# Searchable copy for the service team.",
                "[OUTPUT]",
                "    Name              cloudwatch_logs",
                "    Match             app.web",
                "    region            eu-west-1",
                "    log_group_name    /org-logging/firelens/web/app",
                "    log_stream_name   web/${ECS_TASK_ID}",
                "    auto_create_group false",
                "    retry_limit       5",
                "",
                "# Archive copy: Firehose delivers it to the log-archive account.",
                "[OUTPUT]",
                "    Name            kinesis_firehose",
                "    Match           app.web",
                "    region          eu-west-1",
                "    delivery_stream firelens-web",
                "    time_key        time",
                "    retry_limit     5",
                "",
            ].join("\n"),
        );
    });

    it("reports every problem of the Args in one error", async () => {
        const { resolveFireLensServiceArgs } = await import("../../components/firelens-service");
        assert.throws(
            () =>
                resolveFireLensServiceArgs({
                    ...ARGS,
                    serviceName: "Payments_API",
                    containerPort: 24224,
                    memBufLimitMiB: 100,
                    firehoseBufferingSizeMiB: 200,
                    filters: [{ name: "modify", properties: { Add: "team payments\n[OUTPUT]" } }],
                    parsers: [{ name: "line", format: "regex" }],
                }),
            {
                message:
                    'FireLensService: `serviceName` ("Payments_API") is not a service name. Use 1-32 lower-case letters, digits and "-", starting with a letter and not ending with "-".\n' +
                    "FireLensService: `containerPort` (24224) is the log router's Fluent forward port, which must never be exposed. Let the application listen on another port.\n" +
                    "FireLensService: `logRouterMemoryReservationMiB` (128) is less than twice `memBufLimitMiB` (100); Fluent Bit can use up to twice its buffer limit. Raise the reservation to at least 200 or lower the limit.\n" +
                    "FireLensService: `firehoseBufferingSizeMiB` (200) is outside what Firehose accepts. Use a whole number from 1 to 128.\n" +
                    'FireLensService: `filters[0].properties.Add` ("team payments\\n[OUTPUT]") must be a non-empty single line. Remove line breaks.\n' +
                    'FireLensService: `parsers[0].regex` (undefined) is required for format "regex". Set a regular expression with named captures.',
            },
        );
    });

    it("accepts the documented defaults", async () => {
        const { resolveFireLensServiceArgs } = await import("../../components/firelens-service");
        assert.doesNotThrow(() =>
            resolveFireLensServiceArgs({
                serviceName: "web",
                image: "nginx",
                containerPort: 80,
                vpcId: "vpc-1",
                subnetIds: [],
                archiveBucketArn: "a",
                archiveKeyArn: "k",
            }),
        );
    });
});
