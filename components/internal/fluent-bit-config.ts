// Renders the Fluent Bit configuration a FireLensService loads through the aws-for-fluent-bit init
// process. Fargate only accepts `config-file-type=file` (a file inside the image), so the component
// stores this text as S3 objects and points the init image at them with `aws_fluent_bit_init_s3_<n>`:
// https://github.com/aws/aws-for-fluent-bit/tree/mainline/use_cases/init-process-for-fluent-bit
//
// The init process @INCLUDEs every downloaded file after the config FireLens generates, except files
// that contain a [PARSER] section: those are passed with `-R` instead, so parsers must live in a file
// of their own (renderFluentBitParsers) and never next to filters or outputs.

/** A Fluent Bit parser (https://docs.fluentbit.io/manual/pipeline/parsers). */
export interface FluentBitParser {
    readonly name: string;
    readonly format: "json" | "regex" | "logfmt" | "ltsv";
    /** Required for `regex`: a Ruby/Onigmo regular expression with named captures. */
    readonly regex?: string;
    readonly timeKey?: string;
    readonly timeFormat?: string;
}

/** A Fluent Bit filter applied to the application's records (https://docs.fluentbit.io/manual/pipeline/filters). */
export interface FluentBitFilter {
    /** Plugin name, for example `parser`, `grep`, `modify`. */
    readonly name: string;
    /**
     * Tag pattern the filter applies to.
     * @default - the application's records (`app.<service>`)
     */
    readonly match?: string;
    /** The plugin's properties, one `key value` line each. */
    readonly properties: Readonly<Record<string, string>>;
}

export interface FluentBitConfigParams {
    serviceName: string;
    /** Name of the application container; FireLens tags its records `<name>-firelens-<task id>`. */
    appContainerName: string;
    region: string;
    logGroupName: string;
    deliveryStreamName: string;
    /** Memory the re-tagged application records may buffer before ingestion pauses. */
    memBufLimitMiB: number;
    filters: readonly FluentBitFilter[];
}

/** The tag the application's records carry after the buffer-limited re-tag. */
export function appTag(serviceName: string): string {
    return `app.${serviceName}`;
}

function section(name: string, entries: Array<[string, string | number]>, comment?: string): string {
    const width = Math.max(...entries.map(([key]) => key.length));
    const lines = entries.map(([key, value]) => `    ${key.padEnd(width)} ${value}`);
    return [...(comment ? [`# ${comment}`] : []), `[${name}]`, ...lines].join("\n");
}

/** Filters and outputs: the application's records go to CloudWatch Logs and to the Firehose stream. */
export function renderFluentBitConfig(p: FluentBitConfigParams): string {
    const tag = appTag(p.serviceName);
    const sections = [
        `# Rendered by orglog:index:FireLensService for "${p.serviceName}"; do not edit (the next deployment overwrites it).`,
        section(
            "FILTER",
            [
                ["Name", "rewrite_tag"],
                ["Match", `${p.appContainerName}-firelens-*`],
                ["Rule", `$source ^(stdout|stderr)$ ${tag} false`],
                ["Emitter_Name", "app_buffer"],
                ["Emitter_Storage.type", "memory"],
                ["Emitter_Mem_Buf_Limit", `${p.memBufLimitMiB}MB`],
            ],
            "FireLens generates the stdout/stderr input without Mem_Buf_Limit; moving the records into this emitter bounds their buffer.",
        ),
        ...p.filters.map((f) => section("FILTER", [["Name", f.name], ["Match", f.match ?? tag], ...Object.entries(f.properties)])),
        section(
            "OUTPUT",
            [
                ["Name", "cloudwatch_logs"],
                ["Match", tag],
                ["region", p.region],
                ["log_group_name", p.logGroupName],
                // ECS_TASK_ID is exported by the init process from the task metadata endpoint.
                ["log_stream_name", `${p.serviceName}/\${ECS_TASK_ID}`],
                ["auto_create_group", "false"],
                ["retry_limit", 5],
            ],
            "Searchable copy for the service team.",
        ),
        section(
            "OUTPUT",
            [
                ["Name", "kinesis_firehose"],
                ["Match", tag],
                ["region", p.region],
                ["delivery_stream", p.deliveryStreamName],
                ["time_key", "time"],
                ["retry_limit", 5],
            ],
            "Archive copy: Firehose delivers it to the log-archive account.",
        ),
    ];
    return sections.join("\n\n") + "\n";
}

/** The parsers file (loaded with `-R` by the init process). Empty when there are no parsers. */
export function renderFluentBitParsers(parsers: readonly FluentBitParser[]): string {
    if (parsers.length === 0) {
        return "";
    }
    return (
        parsers
            .map((parser) => {
                const entries: Array<[string, string]> = [
                    ["Name", parser.name],
                    ["Format", parser.format],
                ];
                if (parser.regex !== undefined) {
                    entries.push(["Regex", parser.regex]);
                }
                if (parser.timeKey !== undefined) {
                    entries.push(["Time_Key", parser.timeKey]);
                }
                if (parser.timeFormat !== undefined) {
                    entries.push(["Time_Format", parser.timeFormat]);
                }
                return section("PARSER", entries);
            })
            .join("\n\n") + "\n"
    );
}

const PLUGIN_NAME = /^[a-z][a-z0-9_]*$/;
const PROPERTY_KEY = /^[A-Za-z][A-Za-z0-9_.]*$/;
const MATCH = /^[A-Za-z0-9_.*-]+$/;

/**
 * Problems with filters and parsers, each phrased for a validation error. A newline inside a value
 * would start a new section in the rendered file, so values are single-line.
 */
export function fluentBitProblems(filters: readonly FluentBitFilter[], parsers: readonly FluentBitParser[]): string[] {
    const problems: string[] = [];
    const singleLine = (where: string, value: string) => {
        if (/[\r\n]/.test(value) || value.trim() === "") {
            problems.push(`${where} (${JSON.stringify(value)}) must be a non-empty single line. Remove line breaks`);
        }
    };
    filters.forEach((filter, i) => {
        if (!PLUGIN_NAME.test(filter.name)) {
            problems.push(
                `\`filters[${i}].name\` ("${filter.name}") is not a Fluent Bit plugin name. Use lower-case letters, digits and "_"`,
            );
        }
        if (filter.match !== undefined && !MATCH.test(filter.match)) {
            problems.push(`\`filters[${i}].match\` ("${filter.match}") is not a tag pattern. Use letters, digits, ".", "_", "-" and "*"`);
        }
        for (const [key, value] of Object.entries(filter.properties)) {
            if (!PROPERTY_KEY.test(key)) {
                problems.push(`\`filters[${i}].properties\` key ("${key}") is not a property name. Use letters, digits, "_" and "."`);
            }
            singleLine(`\`filters[${i}].properties.${key}\``, value);
        }
    });
    const names = new Set<string>();
    parsers.forEach((parser, i) => {
        if (!PLUGIN_NAME.test(parser.name)) {
            problems.push(`\`parsers[${i}].name\` ("${parser.name}") is not a parser name. Use lower-case letters, digits and "_"`);
        }
        if (names.has(parser.name)) {
            problems.push(`\`parsers[${i}].name\` ("${parser.name}") is used twice. Give each parser its own name`);
        }
        names.add(parser.name);
        if (!["json", "regex", "logfmt", "ltsv"].includes(parser.format)) {
            problems.push(`\`parsers[${i}].format\` ("${parser.format}") is not supported. Use "json", "regex", "logfmt" or "ltsv"`);
        }
        if (parser.format === "regex" && parser.regex === undefined) {
            problems.push(
                `\`parsers[${i}].regex\` (undefined) is required for format "regex". Set a regular expression with named captures`,
            );
        }
        for (const [key, value] of [
            ["regex", parser.regex],
            ["timeKey", parser.timeKey],
            ["timeFormat", parser.timeFormat],
        ] as const) {
            if (value !== undefined) {
                singleLine(`\`parsers[${i}].${key}\``, value);
            }
        }
    });
    return problems;
}
