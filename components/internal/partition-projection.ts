// Partition projection of the archive's Glue tables: Athena computes the partitions of a query from
// table properties, so no crawler or partition-adding job ever runs and a new account, service or day
// is queryable the moment its files land.
// https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html
import { REGION_NAME } from "./validation";

/**
 * How Athena computes the values of one partition column:
 * - `injected`: any value; a query names the value(s) it reads (`account = '...'`), so no list exists
 *   to keep up to date;
 * - `enum`: one of `values`;
 * - `integer`: a whole number in `range`, written with `digits` digits (`07`) when given;
 * - `daily`: one day a step in `format` (`yyyy/MM/dd`), from `first` to today (`NOW`).
 */
export type ColumnProjection =
    | { readonly type: "injected" }
    | { readonly type: "enum"; readonly values: readonly string[] }
    | { readonly type: "integer"; readonly range: readonly [number, number]; readonly digits?: number }
    | { readonly type: "daily"; readonly format: string; readonly first: string };

/** The projection of a column whose value a query names. */
export const INJECTED: ColumnProjection = { type: "injected" };

/**
 * The `year`, `month` and `day` columns of a `.../<year>/<MM>/<dd>/` layout. A query that filters on
 * `year` only reads that year, so a wide range costs nothing; it only bounds queries that forget the filter.
 */
export function yearMonthDayProjection(firstYear: number, lastYear: number): Record<"year" | "month" | "day", ColumnProjection> {
    return {
        year: { type: "integer", range: [firstYear, lastYear] },
        month: { type: "integer", range: [1, 12], digits: 2 },
        day: { type: "integer", range: [1, 31], digits: 2 },
    };
}

function columnProperties(column: string, projection: ColumnProjection): Record<string, string> {
    const key = `projection.${column}`;
    switch (projection.type) {
        case "injected":
            return { [`${key}.type`]: "injected" };
        case "enum":
            return { [`${key}.type`]: "enum", [`${key}.values`]: projection.values.join(",") };
        case "integer":
            return {
                [`${key}.type`]: "integer",
                [`${key}.range`]: projection.range.join(","),
                ...(projection.digits === undefined ? {} : { [`${key}.digits`]: String(projection.digits) }),
            };
        case "daily":
            return {
                [`${key}.type`]: "date",
                [`${key}.format`]: projection.format,
                [`${key}.range`]: `${projection.first},NOW`,
                [`${key}.interval`]: "1",
                [`${key}.interval.unit`]: "DAYS",
            };
    }
}

/**
 * The properties of an external table with partition projection: `properties` (classification and
 * the like), then the projection of each of `partitionKeys` in path order, then `locationTemplate`,
 * the S3 prefix of one partition with `${column}` for each partition column.
 */
export function partitionProjectionProperties<K extends string>(p: {
    properties?: Readonly<Record<string, string>>;
    partitionKeys: readonly K[];
    columns: Readonly<Record<K, ColumnProjection>>;
    locationTemplate: string;
}): Record<string, string> {
    return Object.assign(
        { EXTERNAL: "TRUE" },
        p.properties,
        { "projection.enabled": "true" },
        ...p.partitionKeys.map((column) => columnProperties(column, p.columns[column])),
        { "storage.location.template": p.locationTemplate },
    );
}

/**
 * The table properties that let Athena read log files the archive's lifecycle has moved to Glacier
 * once they are restored (unrestored ones are skipped).
 * https://docs.aws.amazon.com/athena/latest/ug/querying-glacier.html
 */
export const READ_RESTORED_GLACIER_OBJECTS: Readonly<Record<string, string>> = { read_restored_glacier_objects: "true" };

/** The problem with the `firstYear`..`lastYear` range of a `year` projection, if any. */
export function yearRangeProblem(firstYear: number, lastYear: number): string | undefined {
    return Number.isInteger(firstYear) && Number.isInteger(lastYear) && firstYear >= 2000 && lastYear <= 9999 && firstYear <= lastYear
        ? undefined
        : `\`firstYear\`..\`lastYear\` (${firstYear}..${lastYear}) is not a range of years. Use whole years from 2000 with firstYear <= lastYear`;
}

/**
 * The problems of the `regions` of a `region` enum projection: an empty list (the table would have
 * no partitions; `whenEmpty` says what to list instead), a name that is not a region, a repeat.
 */
export function regionProjectionProblems(regions: readonly string[], whenEmpty: string): string[] {
    const problems = regions.length === 0 ? [`\`regions\` ([]) is empty, so the table would have no partitions. ${whenEmpty}`] : [];
    regions.forEach((region, i) => {
        if (!REGION_NAME.test(region)) {
            problems.push(`\`regions[${i}]\` ("${region}") is not an AWS region name such as eu-west-1`);
        } else if (regions.indexOf(region) !== i) {
            problems.push(`\`regions[${i}]\` ("${region}") is listed twice. List each region once`);
        }
    });
    return problems;
}
