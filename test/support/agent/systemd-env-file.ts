// How systemd reads an EnvironmentFile=: a transcription of parse_env_file_internal() in systemd's
// src/basic/env-file.c (v252 to v256 agree) plus the name check that drops invalid assignments
// (env_name_is_valid). No systemd manager runs in the test environment, so the env-file spec checks the
// agent's escaping against this model; the shell side is checked with a real /bin/sh.

const NEWLINE = "\n\r";
const WHITESPACE = " \t\n\r";
const COMMENTS = "#;";
const SHELL_NEED_ESCAPE = '"\\`$';

export function parseSystemdEnvFile(text: string): Map<string, string> {
    const out = new Map<string, string>();
    type State =
        | "PRE_KEY"
        | "KEY"
        | "PRE_VALUE"
        | "VALUE"
        | "VALUE_ESCAPE"
        | "SINGLE_QUOTE_VALUE"
        | "DOUBLE_QUOTE_VALUE"
        | "DOUBLE_QUOTE_VALUE_ESCAPE"
        | "COMMENT"
        | "COMMENT_ESCAPE";
    let state: State = "PRE_KEY";
    let key = "";
    let value: string | null = null;
    let lastKeyWs = -1;
    let lastValueWs = -1;
    const push = () => {
        const k = lastKeyWs >= 0 ? key.slice(0, lastKeyWs) : key;
        // load_env_file keeps "KEY=VALUE"; exec_context_load_environment then drops invalid names.
        if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) {
            out.set(k, value ?? "");
        }
        key = "";
        value = null;
    };
    const append = (c: string) => {
        value = (value ?? "") + c;
    };
    for (const c of text) {
        switch (state) {
            case "PRE_KEY":
                if (COMMENTS.includes(c)) {
                    state = "COMMENT";
                } else if (!WHITESPACE.includes(c)) {
                    state = "KEY";
                    lastKeyWs = -1;
                    key += c;
                }
                break;
            case "KEY":
                if (NEWLINE.includes(c)) {
                    state = "PRE_KEY";
                    key = "";
                } else if (c === "=") {
                    state = "PRE_VALUE";
                    lastValueWs = -1;
                } else {
                    if (!WHITESPACE.includes(c)) {
                        lastKeyWs = -1;
                    } else if (lastKeyWs < 0) {
                        lastKeyWs = key.length;
                    }
                    key += c;
                }
                break;
            case "PRE_VALUE":
                if (NEWLINE.includes(c)) {
                    state = "PRE_KEY";
                    push();
                } else if (c === "'") {
                    state = "SINGLE_QUOTE_VALUE";
                } else if (c === '"') {
                    state = "DOUBLE_QUOTE_VALUE";
                } else if (c === "\\") {
                    state = "VALUE_ESCAPE";
                } else if (!WHITESPACE.includes(c)) {
                    state = "VALUE";
                    append(c);
                }
                break;
            case "VALUE":
                if (NEWLINE.includes(c)) {
                    state = "PRE_KEY";
                    if (lastValueWs >= 0 && value !== null) {
                        value = (value as string).slice(0, lastValueWs);
                    }
                    push();
                } else if (c === "\\") {
                    state = "VALUE_ESCAPE";
                    lastValueWs = -1;
                } else {
                    if (!WHITESPACE.includes(c)) {
                        lastValueWs = -1;
                    } else if (lastValueWs < 0) {
                        lastValueWs = (value ?? "").length;
                    }
                    append(c);
                }
                break;
            case "VALUE_ESCAPE":
                state = "VALUE";
                if (!NEWLINE.includes(c)) {
                    append(c);
                }
                break;
            case "SINGLE_QUOTE_VALUE":
                if (c === "'") {
                    state = "PRE_VALUE";
                } else {
                    append(c);
                }
                break;
            case "DOUBLE_QUOTE_VALUE":
                if (c === '"') {
                    state = "PRE_VALUE";
                } else if (c === "\\") {
                    state = "DOUBLE_QUOTE_VALUE_ESCAPE";
                } else {
                    append(c);
                }
                break;
            case "DOUBLE_QUOTE_VALUE_ESCAPE":
                state = "DOUBLE_QUOTE_VALUE";
                if (SHELL_NEED_ESCAPE.includes(c)) {
                    append(c);
                } else if (c !== "\n") {
                    append(`\\${c}`);
                }
                break;
            case "COMMENT":
                if (c === "\\") {
                    state = "COMMENT_ESCAPE";
                } else if (NEWLINE.includes(c)) {
                    state = "PRE_KEY";
                }
                break;
            case "COMMENT_ESCAPE":
                state = NEWLINE.includes(c) ? "PRE_KEY" : "COMMENT";
                break;
        }
    }
    if (["PRE_VALUE", "VALUE", "VALUE_ESCAPE", "SINGLE_QUOTE_VALUE", "DOUBLE_QUOTE_VALUE", "DOUBLE_QUOTE_VALUE_ESCAPE"].includes(state)) {
        if (state === "VALUE" && lastValueWs >= 0 && value !== null) {
            value = (value as string).slice(0, lastValueWs);
        }
        push();
    }
    return out;
}
