// state.json remembers, for the live generation, each source object's ETag, size and SHA-256, plus the
// bytes of the files that are not copied to the live tree (manifest.json, secrets.conf). A later sync
// reuses a file instead of downloading it when the listing shows the same ETag and size and the live copy
// still hashes to the recorded SHA-256, so a no-op sync makes no GetObject call.
import * as fs from "fs";
import * as path from "path";
import { replaceFileDurable } from "./durable";

export interface ObjectRecord {
    readonly etag: string;
    readonly size: number;
    readonly sha256: string;
}

export interface StateRecord {
    readonly source: string;
    readonly objects: Record<string, ObjectRecord>;
    /** base64 content of meta files (manifest.json, secrets.conf), keyed like `objects`. */
    readonly meta: Record<string, string>;
}

export class StateFile {
    readonly path: string;
    constructor(stateDir: string) {
        this.path = path.join(stateDir, "state.json");
    }

    /** The record for `source`, or an empty one (unreadable or for another source: download everything). */
    read(source: string): StateRecord {
        try {
            const record = JSON.parse(fs.readFileSync(this.path, "utf8")) as StateRecord;
            if (record.source === source && record.objects && record.meta) {
                return record;
            }
        } catch {
            // fall through: no usable record
        }
        return { source, objects: {}, meta: {} };
    }

    write(record: StateRecord): void {
        const text = `${JSON.stringify(record)}\n`;
        try {
            if (fs.readFileSync(this.path, "utf8") === text) {
                return;
            }
        } catch {
            // absent: write it
        }
        replaceFileDurable(this.path, text, 0o600);
    }
}
