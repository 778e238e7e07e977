#!/usr/bin/env python3
"""Validates every example body referenced from the specs against its schema, and checks that
every response schema admits a failure envelope (`ok: false`, `data: null`).

An independent check of the hand-written examples and schemas: the validator is
`openapi-schema-validator` (OpenAPI 3.0 dialect, so `nullable` is honoured), not our code.
Usage: scripts/validate_examples.py openapi/client.yaml [more specs...]
"""

import json
import sys
from pathlib import Path

import yaml
from openapi_schema_validator import OAS30Validator

# Business failures come back as HTTP 200 with `data: null`: every response schema must admit one.
FAILURE = {
    "msg": "System error", "fail": True, "trace": "x-1", "code": "G500", "data": None,
    "bizCode": "", "tm": 1, "msgParams": None, "ok": False,
}

# The quote service's failure envelope (`{ret, msg, trace, data}`).
QUOTE_FAILURE = {"ret": 500, "msg": "failure", "trace": "t", "data": None}


def resolve(schema, components):
    """`schema`, or the component its `$ref` names."""
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        return components["schemas"][ref.rsplit("/", 1)[1]]
    return schema


METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def examples(media):
    for name, example in (media or {}).get("examples", {}).items():
        if "externalValue" in example:
            yield name, example["externalValue"]


def main(specs):
    failures, checked = 0, 0
    for spec_path in map(Path, specs):
        spec = yaml.safe_load(spec_path.read_text())
        components = spec.get("components", {})
        for route, item in spec.get("paths", {}).items():
            for method, operation in item.items():
                if method not in METHODS:
                    continue
                op_id = operation.get("operationId", f"{method} {route}")
                body = operation.get("requestBody", {}).get("content", {})
                media = [("request", body.get("application/json") or body.get("multipart/form-data"))]
                # A query parameter that carries the request as JSON.
                media += [
                    (f"query `{parameter['name']}`", parameter["content"].get("application/json"))
                    for parameter in operation.get("parameters", [])
                    if "content" in parameter
                ]
                media += [
                    (f"response {status}", response.get("content", {}).get("application/json"))
                    for status, response in operation.get("responses", {}).items()
                ]
                for kind, content in media:
                    cases = [(name, file, json.loads((spec_path.parent / file).read_text()))
                             for name, file in examples(content)]
                    if kind.startswith("response"):
                        quote = "ret" in resolve(content["schema"], components).get("properties", {})
                        cases.append(("failure envelope", "(built in)", QUOTE_FAILURE if quote else FAILURE))
                    for name, file, instance in cases:
                        # `#/components/...` refs resolve against the schema's own root: give it the spec's.
                        validator = OAS30Validator({**content["schema"], "components": components})
                        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
                        checked += 1
                        for error in errors:
                            failures += 1
                            where = "/".join(map(str, error.absolute_path)) or "(root)"
                            print(f"{spec_path}: {op_id} {kind} example `{name}` ({file}) at {where}: {error.message}")
    print(f"{checked} examples checked, {failures} problems")
    return 1 if failures or not checked else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
