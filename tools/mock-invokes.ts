// Answers the data-source calls (invokes) programs make, in the account of the caller's provider.
// An invoke without an answer here fails loudly rather than returning something plausible.
import { MockAccount } from "./mock-resources";
import { currentOrganization, organizationResult } from "./mock-organization";

/** The regional Elastic Load Balancing accounts for ALB access logs in regions before August 2022. */
export const ELB_SERVICE_ACCOUNTS: Record<string, string> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "eu-south-1": "635631232127",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-south-1": "718504428378",
    "sa-east-1": "507241528517",
};

type Invoke = (inputs: Record<string, any>, a: MockAccount) => Record<string, unknown>;

const INVOKES: Record<string, Invoke> = {
    "aws:index/getCallerIdentity:getCallerIdentity": (_inputs, a) => ({
        id: a.accountId,
        accountId: a.accountId,
        arn: `arn:${a.partition}:sts::${a.accountId}:assumed-role/OrgLoggingDeployer/org-logging`,
        userId: `AROAMOCK:org-logging`,
    }),
    "aws:index/getPartition:getPartition": (_inputs, a) => ({
        id: a.partition,
        partition: a.partition,
        dnsSuffix: "amazonaws.com",
        reverseDnsPrefix: "com.amazonaws",
    }),
    "aws:index/getRegion:getRegion": (_inputs, a) => ({
        id: a.region,
        name: a.region,
        region: a.region,
        endpoint: `ec2.${a.region}.amazonaws.com`,
        description: a.region,
    }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, a) => ({
        id: a.region,
        names: ["a", "b", "c"].map((z) => `${a.region}${z}`),
        zoneIds: ["1", "2", "3"].map((z) => `${a.region.slice(0, 3)}az${z}`),
    }),
    "aws:ssm/getParameter:getParameter": (inputs, a) => ({
        id: inputs.name,
        name: inputs.name,
        type: "String",
        value: String(inputs.name).includes("/ami/") || String(inputs.name).includes("ami-") ? "ami-0a1b2c3d4e5f67890" : "mock-value",
        arn: `arn:${a.partition}:ssm:${a.region}::parameter${inputs.name}`,
        version: 1,
        insecureValue: "mock-value",
    }),
    "aws:ec2/getAmi:getAmi": (_inputs, a) => ({
        id: "ami-0a1b2c3d4e5f67890",
        imageId: "ami-0a1b2c3d4e5f67890",
        arn: `arn:${a.partition}:ec2:${a.region}::image/ami-0a1b2c3d4e5f67890`,
    }),
    "aws:elb/getServiceAccount:getServiceAccount": (inputs, a) => {
        const region = inputs.region ?? a.region;
        const id = ELB_SERVICE_ACCOUNTS[region];
        if (!id) {
            throw new Error(
                `no ELB service account in ${region}: regions opened after August 2022 use the logdelivery.elasticloadbalancing.amazonaws.com principal`,
            );
        }
        return { id, arn: `arn:${a.partition}:iam::${id}:root`, region };
    },
    // The organization of tools/mock-organization.ts: the default one or an `--organization` file.
    // Accounts and roots are listed only to the management account, as the provider does.
    "aws:organizations/getOrganization:getOrganization": (_inputs, a) =>
        organizationResult(currentOrganization(a.accountId), a.accountId, a.partition),
    "aws:iam/getPolicyDocument:getPolicyDocument": (inputs) => {
        const json = JSON.stringify(renderPolicyDocument(inputs));
        return { id: String(json.length), json, minifiedJson: json };
    },
};

/** Returns the mock's answer to an invoke, or throws `no mock for <token>`. */
export function answerInvoke(token: string, inputs: Record<string, any>, account: MockAccount): Record<string, unknown> {
    const answer = INVOKES[token];
    if (!answer) {
        throw new Error(`no mock for ${token}`);
    }
    return answer(inputs, account);
}

/** The JSON document `aws.iam.getPolicyDocument` renders from its typed statements. */
function renderPolicyDocument(inputs: Record<string, any>): Record<string, unknown> {
    const one = (values: string[] | undefined) => (values && values.length === 1 ? values[0] : values);
    const principals = (list: Array<{ type: string; identifiers: string[] }> | undefined) => {
        if (!list) {
            return undefined;
        }
        if (list.length === 1 && list[0].type === "*") {
            return "*";
        }
        const out: Record<string, unknown> = {};
        for (const p of list) {
            out[p.type] = one(p.identifiers);
        }
        return out;
    };
    const statements = (inputs.statements ?? []).map((s: Record<string, any>) => {
        const condition: Record<string, Record<string, unknown>> = {};
        for (const c of s.conditions ?? []) {
            condition[c.test] = { ...(condition[c.test] ?? {}), [c.variable]: one(c.values) };
        }
        const statement: Record<string, unknown> = {
            Sid: s.sid,
            Effect: s.effect ?? "Allow",
            Action: one(s.actions),
            NotAction: one(s.notActions),
            Resource: one(s.resources),
            NotResource: one(s.notResources),
            Principal: principals(s.principals),
            NotPrincipal: principals(s.notPrincipals),
            Condition: Object.keys(condition).length > 0 ? condition : undefined,
        };
        return Object.fromEntries(Object.entries(statement).filter(([, v]) => v !== undefined));
    });
    return { Version: inputs.version ?? "2012-10-17", Statement: statements };
}
