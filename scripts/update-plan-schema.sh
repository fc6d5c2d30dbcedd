#!/usr/bin/env bash
# Rewrites docs/plan.schema.json, the plans' JSON Schema, from the code's
# catalogues (`faultline plan schema`); a unit test keeps the two equal.
# When Python's jsonschema package is at hand, also checks the schema
# against the draft 2020-12 meta-schema and every library plan against it.
#   scripts/update-plan-schema.sh [path/to/faultline]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/cli/faultline}
"$bin" plan schema > docs/plan.schema.json.new
mv docs/plan.schema.json.new docs/plan.schema.json
echo "wrote docs/plan.schema.json"
if python3 -c 'import jsonschema' 2>/dev/null; then
  python3 - <<'PY'
import glob, json, jsonschema
schema = json.load(open("docs/plan.schema.json"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sorted(glob.glob("drills/library/*.json")):
    for error in validator.iter_errors(json.load(open(path))):
        bad += 1
        print(f"{path}: {error.json_path}: {error.message}")
print("schema valid (draft 2020-12);", "every library plan matches it" if bad == 0 else f"{bad} problems")
raise SystemExit(1 if bad else 0)
PY
fi
