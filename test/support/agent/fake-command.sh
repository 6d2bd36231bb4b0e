#!/bin/sh
# Stand-in for td-agent's dry run, `systemctl restart td-agent` and a health probe in the agent specs.
# Usage: sh fake-command.sh <label> [args...]
# Appends one line "<label> <args...>" to $FAKE_CALLS. Fails (exit 1) when
#  - $FAKE_FAIL lists <label> (comma-separated), or
#  - $FAKE_FAIL_ON_MARKER lists <label> and a file below $ORGLOG_CONFIG_DIR contains "BROKEN"
#    (a service that cannot start on a broken config, but starts again on the previous one).
# With $FAKE_PRINT_ENV set it prints its whole environment first, as a verbose validator might.
label=$1
shift
printf '%s %s\n' "$label" "$*" >> "$FAKE_CALLS"
if [ -n "$FAKE_PRINT_ENV" ]; then env; fi
case ",$FAKE_FAIL," in *",$label,"*) echo "$label: failing as told" >&2; exit 1 ;; esac
case ",$FAKE_FAIL_ON_MARKER," in
    *",$label,"*)
        if grep -rqs BROKEN "$ORGLOG_CONFIG_DIR"; then echo "$label: config is BROKEN" >&2; exit 1; fi ;;
esac
exit 0
