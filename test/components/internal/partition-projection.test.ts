import * as assert from "assert";
import {
    ColumnProjection,
    INJECTED,
    partitionProjectionProperties,
    regionProjectionProblems,
    yearMonthDayProjection,
    yearRangeProblem,
} from "../../../components/internal/partition-projection";
import { projectedPartition } from "../../support/projection";

describe("components/internal/partition-projection", () => {
    const columns: Array<[string, ColumnProjection, Record<string, string>]> = [
        ["injected", INJECTED, { "projection.c.type": "injected" }],
        [
            "enum",
            { type: "enum", values: ["eu-west-1", "us-east-1"] },
            { "projection.c.type": "enum", "projection.c.values": "eu-west-1,us-east-1" },
        ],
        ["integer", { type: "integer", range: [2020, 2099] }, { "projection.c.type": "integer", "projection.c.range": "2020,2099" }],
        [
            "integer with digits",
            { type: "integer", range: [1, 12], digits: 2 },
            { "projection.c.type": "integer", "projection.c.range": "1,12", "projection.c.digits": "2" },
        ],
        [
            "daily",
            { type: "daily", format: "yyyy/MM/dd", first: "2020/01/01" },
            {
                "projection.c.type": "date",
                "projection.c.format": "yyyy/MM/dd",
                "projection.c.range": "2020/01/01,NOW",
                "projection.c.interval": "1",
                "projection.c.interval.unit": "DAYS",
            },
        ],
    ];
    for (const [kind, projection, expected] of columns) {
        it(`writes the properties of a ${kind} column, in Athena's order`, () => {
            const p = partitionProjectionProperties({ partitionKeys: ["c"], columns: { c: projection }, locationTemplate: "s3://b/${c}" });
            const all = { EXTERNAL: "TRUE", "projection.enabled": "true", ...expected, "storage.location.template": "s3://b/${c}" };
            assert.deepStrictEqual(p, all);
            assert.deepStrictEqual(Object.keys(p), Object.keys(all));
        });
    }

    it("puts the table's own properties first and the columns in path order, whatever order they are given in", () => {
        const p = partitionProjectionProperties({
            properties: { classification: "json" },
            partitionKeys: ["account", "year", "month", "day"],
            columns: { ...yearMonthDayProjection(2020, 2030), account: INJECTED },
            locationTemplate: "s3://b/logs/${account}/${year}/${month}/${day}",
        });
        assert.deepStrictEqual(Object.keys(p), [
            "EXTERNAL",
            "classification",
            "projection.enabled",
            "projection.account.type",
            "projection.year.type",
            "projection.year.range",
            "projection.month.type",
            "projection.month.range",
            "projection.month.digits",
            "projection.day.type",
            "projection.day.range",
            "projection.day.digits",
            "storage.location.template",
        ]);
        assert.deepStrictEqual(projectedPartition(p, "s3://b/logs/111111111111/2026/07/31/x.gz"), {
            account: "111111111111",
            year: "2026",
            month: "07",
            day: "31",
        });
        assert.strictEqual(projectedPartition(p, "s3://b/logs/111111111111/2031/07/31/x.gz"), undefined, "a year past the range");
        assert.strictEqual(projectedPartition(p, "s3://b/logs/111111111111/2026/7/31/x.gz"), undefined, "a month of one digit");
    });

    const years: Array<[number, number, boolean]> = [
        [2020, 2099, true],
        [2000, 9999, true],
        [2026, 2026, true],
        [1999, 2099, false],
        [2020, 10000, false],
        [2030, 2020, false],
        [2020.5, 2099, false],
        [2020, Number.NaN, false],
    ];
    for (const [first, last, ok] of years) {
        it(`${ok ? "accepts" : "refuses"} the years ${first}..${last}`, () => {
            assert.strictEqual(
                yearRangeProblem(first, last),
                ok
                    ? undefined
                    : `\`firstYear\`..\`lastYear\` (${first}..${last}) is not a range of years. Use whole years from 2000 with firstYear <= lastYear`,
            );
        });
    }

    it("names every bad or repeated region, and says what to list when there is none", () => {
        assert.deepStrictEqual(regionProjectionProblems(["eu-west-1", "us-gov-west-1"], "List some"), []);
        assert.deepStrictEqual(regionProjectionProblems([], "List the regions of the load balancers"), [
            "`regions` ([]) is empty, so the table would have no partitions. List the regions of the load balancers",
        ]);
        assert.deepStrictEqual(regionProjectionProblems(["eu-west-1", "EU-WEST-2", "eu-west-1", "eu-west-1"], "List some"), [
            '`regions[1]` ("EU-WEST-2") is not an AWS region name such as eu-west-1',
            '`regions[2]` ("eu-west-1") is listed twice. List each region once',
            '`regions[3]` ("eu-west-1") is listed twice. List each region once',
        ]);
    });
});
