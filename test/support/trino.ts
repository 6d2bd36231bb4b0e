// A real Trino SQL parser for the specs: dt-sql-parser's Trino grammar (ANTLR), bundled with esbuild
// into one CommonJS file on first use (the package's ESM build does not load under ts-node on Node 20).
import { buildSync } from "esbuild";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "./harness";

type Node = { children?: Node[] | null; getText(): string; constructor: { name: string } };
interface TrinoModule {
    TrinoSQL: new () => { validate(sql: string): Array<{ message: string }>; parse(sql: string): Node };
    classes: Record<string, new (...args: never[]) => Node>;
}

let loaded: TrinoModule | undefined;

function trino(): TrinoModule {
    if (!loaded) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orglog-trino-"));
        const outfile = path.join(dir, "trino.js");
        buildSync({
            stdin: {
                contents: [
                    'const { TrinoSQL } = require("dt-sql-parser");',
                    'const parser = require("dt-sql-parser/dist/lib/trino/TrinoSqlParser");',
                    "module.exports = { TrinoSQL, classes: parser };",
                ].join("\n"),
                resolveDir: ROOT,
                sourcefile: "trino-entry.js",
            },
            bundle: true,
            platform: "node",
            format: "cjs",
            outfile,
            logLevel: "error",
        });
        loaded = require(outfile) as TrinoModule;
    }
    return loaded;
}

/** Syntax errors of `sql` under Athena engine 3's dialect (Trino); empty when it parses. */
export function trinoSyntaxErrors(sql: string): string[] {
    const { TrinoSQL } = trino();
    return new TrinoSQL().validate(sql).map((e) => e.message);
}

function walk(node: Node, visit: (n: Node, parent?: Node) => void, parent?: Node): void {
    visit(node, parent);
    for (const child of node.children ?? []) {
        walk(child, visit, node);
    }
}

const unquote = (text: string) => (text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text).toLowerCase();

/** What a query reads: its tables, column references (as name paths), output aliases and WHERE conjuncts. */
export interface QueryShape {
    tables: string[];
    references: string[][];
    aliases: string[];
    /** The top-level AND terms of each WHERE clause, whitespace removed. */
    whereConjuncts: string[][];
    /** Number of SELECT blocks (subqueries included). */
    selects: number;
}

export function queryShape(sql: string): QueryShape {
    const { TrinoSQL, classes } = trino();
    const is = (n: Node, cls: string) => n instanceof classes[cls];
    const tree = new TrinoSQL().parse(sql);
    const shape: QueryShape = { tables: [], references: [], aliases: [], whereConjuncts: [], selects: 0 };
    walk(tree, (n, parent) => {
        if (is(n, "TableNameContext")) {
            shape.tables.push(n.getText());
        } else if (is(n, "QuerySpecificationContext")) {
            shape.selects++;
        } else if (is(n, "QualifiedNameContext") && parent && (is(parent, "ColumnRefContext") || is(parent, "ColumnNameContext"))) {
            shape.references.push((n.children ?? []).filter((c) => is(c, "IdentifierContext")).map((c) => unquote(c.getText())));
        } else if (is(n, "IdentifierContext") && parent && is(parent, "SelectItemContext")) {
            shape.aliases.push(unquote(n.getText()));
        } else if (is(n, "DereferenceContext") || is(n, "SubscriptContext")) {
            // Not used by our queries; refuse them rather than check them half-way.
            throw new Error(`queryShape: unsupported expression ${n.getText()}`);
        } else if (is(n, "WhereClauseContext")) {
            const terms: string[] = [];
            const split = (e: Node) => {
                const kids = e.children ?? [];
                if (kids.length === 3 && kids[1].getText().toUpperCase() === "AND" && !(kids[1].children && kids[1].children.length)) {
                    split(kids[0]);
                    split(kids[2]);
                } else if (kids.length === 1 && !is(e, "PredicatedContext")) {
                    split(kids[0]);
                } else {
                    terms.push(e.getText());
                }
            };
            split((n.children ?? []).find((c) => !(c.children === undefined || c.children === null)) ?? n);
            shape.whereConjuncts.push(terms);
        }
    });
    return shape;
}
