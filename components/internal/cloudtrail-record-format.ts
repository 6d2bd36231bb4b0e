// The CloudTrail record format, in ONE place: the Glue columns of the CloudTrail table.
//
// Source: Amazon Athena User Guide, "Create the table for CloudTrail logs in Athena using partition
// projection" (https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html)
// and the record fields of https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
// and https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html.
//
// Column names are the record's field names in lower case (Hive and Glue fold case; the SerDe
// matches JSON keys case-insensitively). Nested JSON that varies by API (`requestParameters`,
// `responseElements`, `additionalEventData`, `serviceEventDetails`, `edgeDeviceDetails`) is a JSON
// string, read with `json_extract_scalar`. Beyond the documented DDL, the identity carries the
// fields CloudTrail added for IAM Identity Center, source identity and assumed-root sessions
// (`credentialid`, `identityprovider`, `inscopeof`, `sessioncontext.sourceidentity`,
// `sessioncontext.assumedroot`) and the record its `managementevent` flag, so that every field of a
// current record has a column.
import { LogFileFormat } from "./glue-table";

/** One column of the CloudTrail table: a Hive type string as Glue stores it. */
export interface CloudTrailColumn {
    readonly name: string;
    readonly type: string;
}

const struct = (fields: Array<[string, string]>) => `struct<${fields.map(([name, type]) => `${name}:${type}`).join(",")}>`;

const SESSION_ISSUER = struct([
    ["type", "string"],
    ["principalid", "string"],
    ["arn", "string"],
    ["accountid", "string"],
    ["username", "string"],
]);

const USER_IDENTITY = struct([
    ["type", "string"],
    ["principalid", "string"],
    ["arn", "string"],
    ["accountid", "string"],
    ["invokedby", "string"],
    ["accesskeyid", "string"],
    ["username", "string"],
    ["credentialid", "string"],
    ["identityprovider", "string"],
    [
        "onbehalfof",
        struct([
            ["userid", "string"],
            ["identitystorearn", "string"],
        ]),
    ],
    [
        "inscopeof",
        struct([
            ["issuertype", "string"],
            ["credentialsissuedto", "string"],
            ["sourcearn", "string"],
            ["sourceaccount", "string"],
        ]),
    ],
    [
        "sessioncontext",
        struct([
            [
                "attributes",
                struct([
                    ["mfaauthenticated", "string"],
                    ["creationdate", "string"],
                ]),
            ],
            ["sessionissuer", SESSION_ISSUER],
            ["ec2roledelivery", "string"],
            [
                "webidfederationdata",
                struct([
                    ["federatedprovider", "string"],
                    ["attributes", "map<string,string>"],
                ]),
            ],
            ["sourceidentity", "string"],
            ["assumedroot", "string"],
        ]),
    ],
]);

/** Every field of a CloudTrail record (management, data and network activity events). */
export const CLOUDTRAIL_COLUMNS: readonly CloudTrailColumn[] = [
    { name: "eventversion", type: "string" },
    { name: "useridentity", type: USER_IDENTITY },
    { name: "eventtime", type: "string" },
    { name: "eventsource", type: "string" },
    { name: "eventname", type: "string" },
    { name: "awsregion", type: "string" },
    { name: "sourceipaddress", type: "string" },
    { name: "useragent", type: "string" },
    { name: "errorcode", type: "string" },
    { name: "errormessage", type: "string" },
    { name: "requestparameters", type: "string" },
    { name: "responseelements", type: "string" },
    { name: "additionaleventdata", type: "string" },
    { name: "requestid", type: "string" },
    { name: "eventid", type: "string" },
    { name: "readonly", type: "string" },
    {
        name: "resources",
        type: `array<${struct([
            ["arn", "string"],
            ["accountid", "string"],
            ["type", "string"],
        ])}>`,
    },
    { name: "eventtype", type: "string" },
    { name: "apiversion", type: "string" },
    { name: "managementevent", type: "string" },
    { name: "recipientaccountid", type: "string" },
    { name: "serviceeventdetails", type: "string" },
    { name: "sharedeventid", type: "string" },
    { name: "vpcendpointid", type: "string" },
    { name: "vpcendpointaccountid", type: "string" },
    { name: "eventcategory", type: "string" },
    {
        name: "addendum",
        type: struct([
            ["reason", "string"],
            ["updatedfields", "string"],
            ["originalrequestid", "string"],
            ["originaleventid", "string"],
        ]),
    },
    { name: "sessioncredentialfromconsole", type: "string" },
    { name: "edgedevicedetails", type: "string" },
    {
        name: "tlsdetails",
        type: struct([
            ["tlsversion", "string"],
            ["ciphersuite", "string"],
            ["clientprovidedhostheader", "string"],
        ]),
    },
];

/**
 * How the table reads a log file (`{"Records": [...]}`, gzip), as AWS documents for CloudTrail: the
 * input format splits a file into records and the Hive JSON SerDe reads each; this is the current form
 * of AWS's CloudTrail table (earlier versions of the page used `com.amazon.emr.hive.serde.CloudTrailSerde`).
 */
export const CLOUDTRAIL_FORMAT: LogFileFormat = {
    inputFormat: "com.amazon.emr.cloudtrail.CloudTrailInputFormat",
    serializationLibrary: "org.apache.hive.hcatalog.data.JsonSerDe",
};
