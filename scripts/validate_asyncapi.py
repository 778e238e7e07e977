#!/usr/bin/env python3
"""Validates AsyncAPI documents against the official JSON Schema of their version.

The schemas come from the `@asyncapi/specs` npm package (installed by `npm ci --prefix
conformance`), so the check is independent of this project's own code generator.

Usage: scripts/validate_asyncapi.py openapi/streams/asyncapi.yaml ...
"""

import json
import pathlib
import sys

import jsonschema
import yaml

SCHEMAS = pathlib.Path(__file__).resolve().parent.parent / "conformance/node_modules/@asyncapi/specs/schemas"


def check(path: pathlib.Path) -> list[str]:
    document = yaml.safe_load(path.read_text())
    version = str(document.get("asyncapi", ""))
    schema_file = SCHEMAS / f"{version}-without-$id.json"
    if not schema_file.is_file():
        return [f"{path}: no official schema for AsyncAPI `{version}` in {SCHEMAS}"]
    schema = json.loads(schema_file.read_text())
    validator = jsonschema.Draft7Validator(schema)
    return [
        f"{path}: at /{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def main() -> int:
    problems = [problem for arg in sys.argv[1:] for problem in check(pathlib.Path(arg))]
    for problem in problems:
        print(problem)
    print(f"{len(sys.argv) - 1} AsyncAPI document(s) checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
