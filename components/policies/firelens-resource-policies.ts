import * as aws from "@pulumi/aws";
import { cloudWatchLogsUsesKey, keyAccountAdministers, policyDocument } from "./document";

export interface FirelensKeyPolicyParams {
    partition: string;
    accountId: string;
    region: string;
    /** Prefix of the names of the log groups the key may encrypt (`/org-logging/firelens/<service>/`). */
    logGroupNamePrefix: string;
}

/**
 * Key policy of a FireLensService's key (workload account). It encrypts the service's log groups,
 * its Fluent Bit config bucket and its delivery stream. CloudWatch Logs may use it only for the
 * service's own log groups: the encryption context names the log group, which is the source
 * condition CloudWatch Logs documents
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
 */
export function firelensKeyPolicy(p: FirelensKeyPolicyParams): aws.iam.PolicyDocument {
    return policyDocument([
        keyAccountAdministers(p.partition, p.accountId),
        cloudWatchLogsUsesKey(
            "CloudWatchLogsEncryptsServiceLogGroups",
            p.region,
            "ArnLike",
            `arn:${p.partition}:logs:${p.region}:${p.accountId}:log-group:${p.logGroupNamePrefix}*`,
        ),
    ]);
}
