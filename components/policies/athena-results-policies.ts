import * as aws from "@pulumi/aws";
import { keyAccountAdministers, policyDocument } from "./document";

/**
 * Key policy of the query-results key: administered by its own account, used by the account's
 * principals through IAM (Athena encrypts results with the caller's credentials, so no service
 * principal needs access).
 */
export function athenaResultsKeyPolicy(p: { partition: string; accountId: string }): aws.iam.PolicyDocument {
    return policyDocument([keyAccountAdministers(p.partition, p.accountId)]);
}
