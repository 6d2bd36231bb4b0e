import * as assert from "assert";
import { collectionProtectionScp } from "../../../components/policies/collection-scp";
import { SCP_MAX_CHARACTERS } from "../../../components/policies/scps";

const PARAMS = {
    partition: "aws",
    pipelinePrincipalArns: ["arn:aws:iam::333333333333:role/OrgLoggingDeployer"],
    breakGlassPrincipalArns: ["arn:aws:iam::333333333333:role/OrgLoggingBreakGlass"],
    publisherRoleArns: ["arn:aws:iam::333333333333:role/collectors-publisher-role-abc1234"],
    deployDocumentArns: ["arn:aws:ssm:eu-west-1:333333333333:document/LogCollection-Deploy-production"],
};

describe("components/policies/collection-scp", () => {
    const doc: any = collectionProtectionScp(PARAMS);
    const statement = (sid: string) => doc.Statement.find((s: any) => s.Sid === sid);
    const keepers = [...PARAMS.pipelinePrincipalArns, ...PARAMS.breakGlassPrincipalArns];

    it("denies changing the collector tags to all but the deployer and break-glass, on any instance", () => {
        assert.deepStrictEqual(statement("DenyCollectorTagChanges"), {
            Sid: "DenyCollectorTagChanges",
            Effect: "Deny",
            Action: ["ec2:CreateTags", "ec2:DeleteTags"],
            Resource: "*",
            Condition: {
                "ForAnyValue:StringEquals": { "aws:TagKeys": ["InstanceRole", "environment"] },
                ArnNotLike: { "aws:PrincipalARN": keepers },
            },
        });
    });

    it("lets the publisher, besides the deployer and break-glass, send commands to collectors; sessions and SSH keys only the two", () => {
        assert.deepStrictEqual(statement("DenyCommandsToCollectors").Condition, {
            StringEquals: { "ssm:resourceTag/InstanceRole": "LogCollection" },
            ArnNotLike: { "aws:PrincipalARN": [...keepers, ...PARAMS.publisherRoleArns] },
        });
        assert.deepStrictEqual(statement("DenySessionsOnCollectors").Condition.ArnNotLike["aws:PrincipalARN"], keepers);
        assert.deepStrictEqual(statement("DenyInstanceConnectToCollectors").Condition.StringEquals, {
            "ec2:ResourceTag/InstanceRole": "LogCollection",
        });
        assert.strictEqual(statement("DenySessionsOnCollectors").Resource, "arn:aws:ec2:*:*:instance/*");
    });

    it("freezes the deploy document and the publisher role for all but the deployer and break-glass", () => {
        assert.deepStrictEqual(statement("DenyDeployDocumentChanges").Resource, PARAMS.deployDocumentArns);
        assert.deepStrictEqual(statement("DenyPublisherRoleChanges").Resource, PARAMS.publisherRoleArns);
        assert.ok(statement("DenyPublisherRoleChanges").Action.includes("iam:UpdateAssumeRolePolicy"));
    });

    it("stays within the SCP size limit", () => {
        assert.ok(JSON.stringify(doc).length < SCP_MAX_CHARACTERS / 2, String(JSON.stringify(doc).length));
    });
});
