// A workload team's service plugged into org-logging. It reads the org-logging stack's outputs with a
// StackReference (never hard-coded bucket names), runs a FireLensService whose Firehose delivers into
// the archive's applicationLogs bucket, and puts it behind an ALB whose access logs go to the
// central elb-logs bucket, where org-logging's Athena table reads them.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FireLensService } from "@org-logging/components";
import { organizationProblem, readWorkloadConfig } from "./config";

const config = readWorkloadConfig();

// requireOutput fails the deployment with the output's name when the org-logging stack lacks it.
const org = new pulumi.StackReference(config.orgLoggingStack);
const orgRegion = org.requireOutput("region") as pulumi.Output<string>;
const elbLogsBucketName = org.requireOutput("elbLogsBucketName") as pulumi.Output<string>;
const archiveBucketArn = org.requireOutput("applicationLogsBucketArn") as pulumi.Output<string>;
const archiveKeyArn = org.requireOutput("applicationLogsKmsKeyArn") as pulumi.Output<string>;

// ALBs deliver access logs only to a bucket in their own region, and Firehose encrypts with a key
// of the bucket's region: the service must run where the archive is.
const region = orgRegion.apply((r) => {
    if (r !== config.region) {
        throw new Error(
            `workload-service:region: "${config.region}" differs from the region of ${config.orgLoggingStack} ("${r}"); deploy the service in the archive's region`,
        );
    }
    return r;
});

const provider = new aws.Provider("workload", {
    region: config.region as aws.Region,
    assumeRoles: [{ roleArn: config.roleArn, sessionName: `workload-service-${pulumi.getStack()}` }],
    allowedAccountIds: [config.accountId],
    defaultTags: { tags: { service: config.serviceName, environment: pulumi.getStack() } },
});
const opts = { provider };

// The archive admits its organization's accounts only; the workload account's own view of its
// organization (DescribeOrganization works from any member account) must be the archive's.
const archiveOrganizationId = org.requireOutput("organizationId") as pulumi.Output<string>;
const organizationId = archiveOrganizationId.apply(async (archiveOrganization) => {
    const own = await aws.organizations.getOrganization({}, { provider }).then(
        (o) => o.id,
        (err: Error) => {
            if (/AWSOrganizationsNotInUseException/.test(String(err?.message ?? err))) {
                return undefined;
            }
            throw err;
        },
    );
    const problem = organizationProblem(config, archiveOrganization, own);
    if (problem) {
        throw new Error(problem);
    }
    return archiveOrganization;
});
const { vpcId, publicSubnetIds, privateSubnetIds } = config.network;

const albSecurityGroup = new aws.ec2.SecurityGroup("alb-sg", { vpcId, description: `Load balancer of ${config.serviceName}` }, opts);
new aws.vpc.SecurityGroupIngressRule(
    "alb-https-in",
    {
        securityGroupId: albSecurityGroup.id,
        cidrIpv4: "0.0.0.0/0",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: "HTTPS from clients",
    },
    opts,
);
new aws.vpc.SecurityGroupIngressRule(
    "alb-http-in",
    {
        securityGroupId: albSecurityGroup.id,
        cidrIpv4: "0.0.0.0/0",
        ipProtocol: "tcp",
        fromPort: 80,
        toPort: 80,
        description: "HTTP from clients, redirected to HTTPS",
    },
    opts,
);

const alb = new aws.lb.LoadBalancer(
    "alb",
    {
        loadBalancerType: "application",
        internal: false,
        securityGroups: [albSecurityGroup.id],
        subnets: publicSubnetIds,
        dropInvalidHeaderFields: true,
        enableDeletionProtection: true,
        // No prefix: the central table reads AWSLogs/<account>/elasticloadbalancing/<region>/<yyyy>/<mm>/<dd>/.
        accessLogs: { bucket: elbLogsBucketName, enabled: true },
    },
    opts,
);
const targetGroup = new aws.lb.TargetGroup(
    "app-tg",
    {
        vpcId,
        targetType: "ip",
        protocol: "HTTP",
        port: config.containerPort,
        healthCheck: { path: config.healthCheckPath, matcher: "200-399" },
        deregistrationDelay: 30,
    },
    opts,
);
const httpsListener = new aws.lb.Listener(
    "https",
    {
        loadBalancerArn: alb.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
        certificateArn: config.certificateArn,
        defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
    },
    opts,
);
new aws.lb.Listener(
    "http-redirect",
    {
        loadBalancerArn: alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
    },
    opts,
);

const service = new FireLensService(
    "service",
    {
        serviceName: config.serviceName,
        image: config.image,
        containerPort: config.containerPort,
        desiredCount: config.desiredCount,
        vpcId,
        subnetIds: privateSubnetIds,
        ingressSecurityGroupId: albSecurityGroup.id,
        // ECS refuses a target group that no listener uses yet: carry the listener as a dependency.
        targetGroupArn: pulumi.all([targetGroup.arn, httpsListener.arn]).apply(([arn]) => arn),
        archiveBucketArn,
        archiveKeyArn,
        // The application writes JSON lines; parse them so both copies hold structured records.
        filters: [{ name: "parser", properties: { Key_Name: "log", Parser: "app_json", Reserve_Data: "On" } }],
        parsers: [{ name: "app_json", format: "json" }],
    },
    opts,
);
new aws.vpc.SecurityGroupEgressRule(
    "alb-to-tasks",
    {
        securityGroupId: albSecurityGroup.id,
        referencedSecurityGroupId: service.securityGroup.id,
        ipProtocol: "tcp",
        fromPort: config.containerPort,
        toPort: config.containerPort,
        description: `Load balancer to the tasks of ${config.serviceName}`,
    },
    opts,
);

export const serviceName = config.serviceName;
export const archiveOrganization = organizationId;
export const archiveRegion = region;
export const loadBalancerDnsName = alb.dnsName;
export const accessLogsBucket = elbLogsBucketName;
export const deliveryStreamName = service.deliveryStream.name;
export const archivePrefix = pulumi.interpolate`${archiveBucketArn}/firelens/${config.accountId}/${config.serviceName}/`;
export const appLogGroupName = service.appLogGroup.name;
