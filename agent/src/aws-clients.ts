// AWS SDK v3 clients with the SDK's standard configuration: region, credentials and endpoints come from
// the environment / shared config (AWS_REGION, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_SECRETS_MANAGER,
// AWS_ENDPOINT_URL_SNS, AWS_ENDPOINT_URL_KMS, ...), so the same bundle runs against AWS or local stand-ins.
//
// Each SDK package is loaded on first use, not when the agent starts: every sync is a fresh process, and
// evaluating the four clients costs more CPU than a no-op sync's own work. A sync from a file:// source
// without a topic loads none of them; `publish` without --kms-key-id never loads KMS.
import type * as KmsSdk from "@aws-sdk/client-kms";
import type { KMSClient } from "@aws-sdk/client-kms";
import type * as S3Sdk from "@aws-sdk/client-s3";
import type { S3Client, S3ClientConfig } from "@aws-sdk/client-s3";
import type * as SecretsManagerSdk from "@aws-sdk/client-secrets-manager";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type * as SnsSdk from "@aws-sdk/client-sns";
import type { SNSClient } from "@aws-sdk/client-sns";

export const s3Sdk = (): typeof S3Sdk => require("@aws-sdk/client-s3") as typeof S3Sdk;
export const secretsManagerSdk = (): typeof SecretsManagerSdk => require("@aws-sdk/client-secrets-manager") as typeof SecretsManagerSdk;
export const snsSdk = (): typeof SnsSdk => require("@aws-sdk/client-sns") as typeof SnsSdk;
export const kmsSdk = (): typeof KmsSdk => require("@aws-sdk/client-kms") as typeof KmsSdk;

/**
 * S3 client. When a custom S3 endpoint is configured through the environment (AWS_ENDPOINT_URL_S3 or
 * AWS_ENDPOINT_URL, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true), it is an S3-compatible server
 * (s3rver, MinIO, LocalStack), so: path-style addressing (SDK v3 has no standard environment variable for
 * it) and checksums only when required (such servers store flexible-checksum "aws-chunked" bodies verbatim),
 * unless AWS_REQUEST_CHECKSUM_CALCULATION / AWS_RESPONSE_CHECKSUM_VALIDATION say otherwise.
 */
/** Socket timeouts for every client (--request-timeout); undefined: the SDK's defaults. */
let requestTimeoutMs: number | undefined;

export function setRequestTimeout(ms: number): void {
    requestTimeoutMs = ms;
}

function handler(): { requestHandler?: { requestTimeout: number; connectionTimeout: number } } {
    return requestTimeoutMs === undefined
        ? {}
        : { requestHandler: { requestTimeout: requestTimeoutMs, connectionTimeout: requestTimeoutMs } };
}

/** `ownRetries`: the caller retries (with its own timeout per attempt), so the SDK makes one attempt. */
export function s3Client(env: NodeJS.ProcessEnv = process.env, ownRetries = false): S3Client {
    const config: S3ClientConfig = { ...handler(), ...(ownRetries ? { maxAttempts: 1 } : {}) };
    if (customS3Endpoint(env)) {
        config.forcePathStyle = true;
        if (env.AWS_REQUEST_CHECKSUM_CALCULATION === undefined) {
            config.requestChecksumCalculation = "WHEN_REQUIRED";
        }
        if (env.AWS_RESPONSE_CHECKSUM_VALIDATION === undefined) {
            config.responseChecksumValidation = "WHEN_REQUIRED";
        }
    }
    return new (s3Sdk().S3Client)(config);
}

export function customS3Endpoint(env: NodeJS.ProcessEnv): boolean {
    if ((env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? "").toLowerCase() === "true") {
        return false;
    }
    return Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
}

export function secretsManagerClient(): SecretsManagerClient {
    return new (secretsManagerSdk().SecretsManagerClient)(handler());
}

export function snsClient(): SNSClient {
    return new (snsSdk().SNSClient)(handler());
}

export function kmsClient(): KMSClient {
    return new (kmsSdk().KMSClient)(handler());
}
