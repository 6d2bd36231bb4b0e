// The Application Load Balancer access-log format, in ONE place: the Glue table's columns and the
// RegexSerDe `input.regex` that splits a log line into them.
//
// Source: Amazon Athena User Guide, "Create the table for ALB access logs"
//   https://docs.aws.amazon.com/athena/latest/ug/create-alb-access-logs-table.html
// (the version that includes `classification`, `classification_reason` and `conn_trace_id`), and the
// field list of https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html#access-log-entry-format
//
// Differences from the documented DDL, both deliberate:
// - The DDL is SQL text, so it escapes `"` as `\"` and `\s` as `\\s`; here is the regex itself, as
//   the Glue API stores it in the SerDe parameters.
// - The documented regex ends with ` ?([^ ]*)?( .*)?`: the last group swallows fields ALB may add
//   in the future. It is non-capturing here, `(?: .*)?`, so that the number of capture groups equals
//   the number of columns (RegexSerDe maps group i to column i) while new fields still match.
//   RegexSerDe uses Java's Matcher.matches(): a line that does not match entirely gives NULL columns.
import { LogFileFormat, TEXT_INPUT_FORMAT } from "./glue-table";

/** One column of the ALB access-log table, in log-field order. */
export interface AlbLogColumn {
    readonly name: string;
    readonly type: "string" | "int" | "bigint" | "double";
}

/** Every current ALB access-log field, in the order they appear in a log line. */
export const ALB_ACCESS_LOG_COLUMNS: readonly AlbLogColumn[] = [
    { name: "type", type: "string" },
    { name: "time", type: "string" },
    { name: "elb", type: "string" },
    { name: "client_ip", type: "string" },
    { name: "client_port", type: "int" },
    { name: "target_ip", type: "string" },
    { name: "target_port", type: "int" },
    { name: "request_processing_time", type: "double" },
    { name: "target_processing_time", type: "double" },
    { name: "response_processing_time", type: "double" },
    { name: "elb_status_code", type: "int" },
    { name: "target_status_code", type: "string" },
    { name: "received_bytes", type: "bigint" },
    { name: "sent_bytes", type: "bigint" },
    { name: "request_verb", type: "string" },
    { name: "request_url", type: "string" },
    { name: "request_proto", type: "string" },
    { name: "user_agent", type: "string" },
    { name: "ssl_cipher", type: "string" },
    { name: "ssl_protocol", type: "string" },
    { name: "target_group_arn", type: "string" },
    { name: "trace_id", type: "string" },
    { name: "domain_name", type: "string" },
    { name: "chosen_cert_arn", type: "string" },
    { name: "matched_rule_priority", type: "string" },
    { name: "request_creation_time", type: "string" },
    { name: "actions_executed", type: "string" },
    { name: "redirect_url", type: "string" },
    { name: "lambda_error_reason", type: "string" },
    { name: "target_port_list", type: "string" },
    { name: "target_status_code_list", type: "string" },
    { name: "classification", type: "string" },
    { name: "classification_reason", type: "string" },
    { name: "conn_trace_id", type: "string" },
];

/** The RegexSerDe `input.regex`: capture group i is column i of ALB_ACCESS_LOG_COLUMNS. */
export const ALB_ACCESS_LOG_REGEX = [
    // type time elb client:port target:port (a Lambda target or a failed request logs "-")
    "([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*):([0-9]*) ([^ ]*)[:-]([0-9]*)",
    // request, target and response processing times (-1 when the request never reached a target)
    " ([-.0-9]*) ([-.0-9]*) ([-.0-9]*)",
    // elb_status_code target_status_code received_bytes sent_bytes
    " (|[-0-9]*) (-|[-0-9]*) ([-0-9]*) ([-0-9]*)",
    // "verb url proto" ("- - - " for a request the load balancer could not parse)
    ' "([^ ]*) (.*) (- |[^ ]*)"',
    // "user_agent" ssl_cipher ssl_protocol target_group_arn
    ' "([^"]*)" ([A-Z0-9-_]+) ([A-Za-z0-9.-]*) ([^ ]*)',
    // "trace_id" "domain_name" "chosen_cert_arn" matched_rule_priority request_creation_time
    ' "([^"]*)" "([^"]*)" "([^"]*)" ([-.0-9]*) ([^ ]*)',
    // "actions_executed" "redirect_url" "lambda_error_reason" "target_port_list" "target_status_code_list"
    ' "([^"]*)" "([^"]*)" "([^ ]*)" "([^\\s]+?)" "([^\\s]+)"',
    // "classification" "classification_reason" conn_trace_id, then any fields ALB adds later
    ' "([^ ]*)" "([^ ]*)" ?([^ ]*)?(?: .*)?',
].join("");

/** How the table reads a log file: line by line, each line split into the columns by the regex. */
export const ALB_ACCESS_LOG_FORMAT: LogFileFormat = {
    inputFormat: TEXT_INPUT_FORMAT,
    serializationLibrary: "org.apache.hadoop.hive.serde2.RegexSerDe",
    serDeParameters: { "input.regex": ALB_ACCESS_LOG_REGEX },
};

/** Partition keys of the table, in the order of the S3 key layout ALB writes. */
export const ALB_PARTITION_KEYS = ["account", "region", "year", "month", "day"] as const;
