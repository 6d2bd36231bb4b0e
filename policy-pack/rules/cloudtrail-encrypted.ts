import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, validateKeyIsSet } from "../lib/rule";

export type CloudtrailEncryptedConfig = ExemptionConfig;

/** With SSE-S3 only, anyone who can read the bucket reads the trail; a KMS key adds a second, audited gate. */
export const cloudtrailEncrypted: ResourceValidationPolicy = {
    name: "cloudtrail-encrypted",
    description: "CloudTrail trails encrypt their log files with a customer managed KMS key.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
    validateResource: validateKeyIsSet(
        aws.cloudtrail.Trail,
        "kmsKeyId",
        (name, key) =>
            `trail "${name}" has \`kmsKeyId\` ${key}, so its log files are readable by anyone who can read the bucket. Set \`kmsKeyId\` to the log archive's key (orglog:index:LogArchiveAccount's \`trailKey\`).`,
    ),
};
