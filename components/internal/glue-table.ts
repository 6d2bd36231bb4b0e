// The Glue table over log files of one bucket, the one recipe of the archive's Athena tables: an
// external table of text files (gzip or not), string partition columns, and its properties (partition
// projection) computed from the bucket's name.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Reads a file as lines, one record a line. */
export const TEXT_INPUT_FORMAT = "org.apache.hadoop.mapred.TextInputFormat";
/** The output format Athena's DDL gives a text table (these tables are only ever read). */
export const HIVE_TEXT_OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";

/** How a table's files are read: the input format that splits them into records and the SerDe that reads one. */
export interface LogFileFormat {
    readonly inputFormat: string;
    readonly serializationLibrary: string;
    /** SerDe parameters besides `serialization.format`. @default {} */
    readonly serDeParameters?: Readonly<Record<string, string>>;
}

/** One column of a table: a Hive type string as Glue stores it. */
export interface GlueColumn {
    readonly name: string;
    readonly type: string;
}

export interface LogFileTableArgs {
    /** Glue table name (validated by the component). */
    readonly tableName: string;
    readonly databaseName: pulumi.Input<string>;
    readonly description: string;
    /** The bucket the log files are in. */
    readonly bucketName: pulumi.Input<string>;
    /** The S3 prefix all the table's files are under, from the bucket's name. */
    readonly location: (bucketName: string) => string;
    /** The table properties (its partition projection), from the bucket's name. */
    readonly parameters: (bucketName: string) => Record<string, string>;
    /** Partition columns in path order; every one is a string. */
    readonly partitionKeys: readonly string[];
    readonly format: LogFileFormat;
    readonly columns: readonly GlueColumn[];
}

/** An external Glue table over the log files of a bucket. */
export function logFileTable(name: string, args: LogFileTableArgs, opts: pulumi.CustomResourceOptions): aws.glue.CatalogTable {
    const bucketName = pulumi.output(args.bucketName);
    return new aws.glue.CatalogTable(
        name,
        {
            name: args.tableName,
            databaseName: args.databaseName,
            description: args.description,
            tableType: "EXTERNAL_TABLE",
            parameters: bucketName.apply(args.parameters),
            partitionKeys: args.partitionKeys.map((key) => ({ name: key, type: "string" })),
            storageDescriptor: {
                location: bucketName.apply(args.location),
                inputFormat: args.format.inputFormat,
                outputFormat: HIVE_TEXT_OUTPUT_FORMAT,
                serDeInfo: {
                    serializationLibrary: args.format.serializationLibrary,
                    parameters: { "serialization.format": "1", ...args.format.serDeParameters },
                },
                columns: args.columns.map((c) => ({ name: c.name, type: c.type })),
            },
        },
        opts,
    );
}
