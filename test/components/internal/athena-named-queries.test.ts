import * as assert from "assert";
import { parenthesized, PartitionQuery, partitionQueries } from "../../../components/internal/athena-named-queries";

describe("components/internal/athena-named-queries", () => {
    const table = { database: "org_logging", table: "t", pinned: ["account", "day"] };
    const base: PartitionQuery = { id: "q", name: "Q", description: "D", select: ["a, b"], orderBy: "a" };
    const cases: Array<[string, Partial<PartitionQuery>, string[]]> = [
        ["only the pinned partitions", {}, ["SELECT a, b", 'FROM "org_logging"."t"', "WHERE account = ? AND day = ?", "ORDER BY a"]],
        [
            "a select list over several lines",
            { select: ["a,", "b"] },
            ["SELECT a,", "       b", 'FROM "org_logging"."t"', "WHERE account = ? AND day = ?", "ORDER BY a"],
        ],
        [
            "every clause",
            { where: ["a > 1", "b IS NULL"], groupBy: "1, 2", having: "count(*) > 1", orderBy: "a DESC", limit: 10 },
            [
                "SELECT a, b",
                'FROM "org_logging"."t"',
                "WHERE account = ? AND day = ?",
                "  AND a > 1",
                "  AND b IS NULL",
                "GROUP BY 1, 2",
                "HAVING count(*) > 1",
                "ORDER BY a DESC",
                "LIMIT 10",
            ],
        ],
        [
            "a condition over several lines",
            { where: [parenthesized(["    a = 1", "    OR b = 2"])] },
            [
                "SELECT a, b",
                'FROM "org_logging"."t"',
                "WHERE account = ? AND day = ?",
                "  AND (",
                "    a = 1",
                "    OR b = 2",
                "  )",
                "ORDER BY a",
            ],
        ],
    ];
    for (const [what, change, lines] of cases) {
        it(`writes the SQL of a query with ${what}`, () => {
            assert.deepStrictEqual(partitionQueries(table, [{ ...base, ...change }]), [
                { id: "q", name: "Q", description: "D", sql: lines.join("\n") },
            ]);
        });
    }

    it("pins the partitions in the order given, as the first parameters", () => {
        const [q] = partitionQueries({ ...table, pinned: ["account", "region", "year"] }, [base]);
        assert.match(q.sql, /\nWHERE account = \? AND region = \? AND year = \?\n/);
    });
});
