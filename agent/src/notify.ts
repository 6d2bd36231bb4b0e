// Publishes every outcome to the deploy-results SNS topic. A failing publish is logged; it never changes
// the outcome or the exit code.
import * as os from "os";
import { snsClient, snsSdk } from "./aws-clients";
import { Logger } from "./log";
import { Redactor } from "./redact";
import { errorName } from "./result";

export async function notify(
    topicArn: string,
    result: Record<string, unknown> & { result: string },
    redactor: Redactor,
    log: Logger,
): Promise<boolean> {
    const host = os.hostname();
    const message = redactor.redactDeep({ ...result, host });
    const subject = `org-logging agent: ${result.result} on ${host}`.replace(/[^\x20-\x7e]/g, "?").slice(0, 100);
    try {
        await snsClient().send(
            new (snsSdk().PublishCommand)({
                TopicArn: topicArn,
                Subject: subject,
                Message: JSON.stringify(message),
                MessageAttributes: { result: { DataType: "String", StringValue: result.result } },
            }),
        );
        log.info("result published", { topic: topicArn });
        return true;
    } catch (err) {
        log.warn(`result could not be published to ${topicArn} (${errorName(err)}); the outcome stands`);
        return false;
    }
}
