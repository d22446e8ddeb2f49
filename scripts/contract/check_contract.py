#!/usr/bin/env python3
"""Checks the REST API contract.

    check_contract.py SPEC                       validate the OpenAPI document
    check_contract.py SPEC SAMPLES_DIR           ... and every SAMPLES_DIR/<Schema>.json against
                                                 #/components/schemas/<Schema>
    check_contract.py --require-all SPEC DIR     ... and fail when an object schema has no sample

Samples are validated with JSON Schema Draft 2020-12 (the dialect of OpenAPI 3.1), `$ref`s
resolved through a `referencing` registry holding the whole spec, and string formats checked
(`uuid`, `date-time`, ...). Prints one line per sample and ends with
`contract: N passed, M failed`. Exit status 0 only when everything passed.

Needs `pip install openapi-spec-validator` (which brings jsonschema, referencing and PyYAML).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import re
import sys
from pathlib import Path

try:
    import yaml
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.exceptions import best_match
    from openapi_spec_validator import OpenAPIV31SpecValidator, validate as validate_spec
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError as error:  # pragma: no cover - environment problem
    print(f"contract: missing Python package ({error}); run: python3 -m pip install openapi-spec-validator jsonschema",
          file=sys.stderr)
    sys.exit(2)

SPEC_URI = "urn:lms:openapi"

# RFC 3339 `date-time` (what JSON Schema's format means): full date, `T`, time, optional
# fraction, `Z` or a numeric offset. Checked here rather than through jsonschema's optional
# rfc3339-validator dependency, so a machine without it does not silently skip the check.
_DATE_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$")


def _is_date_time(instance: object) -> bool:
    if not isinstance(instance, str):
        return True  # formats only constrain strings
    match = _DATE_TIME.match(instance)
    if not match:
        return False
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    try:
        _dt.date(year, month, day)
    except ValueError:
        return False
    if hour > 23 or minute > 59 or second > 60:  # 60: leap second
        return False
    if match.group(9) is not None and (int(match.group(9)) > 23 or int(match.group(10)) > 59):
        return False
    return True


def make_format_checker() -> FormatChecker:
    checker = FormatChecker()  # includes `uuid`, `email`, `date`, ...
    checker.checks("date-time")(_is_date_time)
    return checker


def load_spec(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    spec = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    if not isinstance(spec, dict):
        raise ValueError("the document is not a mapping")
    return spec


def _short(text: str, limit: int = 400) -> str:
    """Validator messages can embed the whole document; keep them readable."""
    text = " ".join(text.split())
    text = text.split(" does not exist within ", 1)[0] + (" does not exist" if " does not exist within " in text else "")
    return text if len(text) <= limit else text[:limit] + " ..."


# Keywords whose value may legitimately be JSON null.
_NULL_OK = {"example", "default", "const", "value"}


def null_keys(node: object, path: str = "") -> list[str]:
    """Keys mapped to null. In YAML an unquoted `description: a, b` inside `{ ... }` silently
    becomes two keys, the second mapped to null; the OpenAPI validator accepts that, so we flag it."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}/{key}"
            if value is None and key not in _NULL_OK and not path.endswith(("/examples", "/enum")):
                found.append(f"{here}: null value (an unquoted comma or colon in a YAML flow mapping?)")
            found += null_keys(value, here)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found += null_keys(item, f"{path}[{index}]")
    return found


def check_spec(spec: dict) -> list[str]:
    """The spec validator's messages; empty when the document is a valid OpenAPI 3.1 description."""
    try:
        errors = [_short(str(getattr(error, "message", error))) for error in OpenAPIV31SpecValidator(spec).iter_errors()]
    except Exception as error:  # the validator may raise instead of yielding (e.g. broken $ref)
        return [_short(f"{type(error).__name__}: {error}")]
    if errors:
        return errors
    try:
        validate_spec(spec)
    except Exception as error:
        return [_short(f"{type(error).__name__}: {error}")]
    return null_keys(spec)


def error_path(error) -> str:
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return path or "(root)"


def describe(error) -> list[str]:
    """The error, and for oneOf/anyOf failures the most relevant nested error too."""
    lines = [f"{error_path(error)}: {error.message}"]
    if error.context:
        deepest = best_match(error.context)
        lines.append(f"  (best match) {error_path(deepest)}: {deepest.message}")
    return lines


def check_samples(spec: dict, samples_dir: Path, require_all: bool) -> tuple[int, int]:
    schemas = spec.get("components", {}).get("schemas", {})
    registry = Registry().with_resource(SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012))
    checker = make_format_checker()
    passed = failed = 0

    files = sorted(samples_dir.glob("*.json"))
    if not files:
        print(f"FAIL {samples_dir}: no *.json samples")
        return 0, 1
    for file in files:
        name = file.stem
        if name not in schemas:
            print(f"FAIL {file.name}: no schema #/components/schemas/{name}")
            failed += 1
            continue
        try:
            instance = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            print(f"FAIL {file.name}: not valid JSON: {error}")
            failed += 1
            continue
        validator = Draft202012Validator(
            {"$ref": f"{SPEC_URI}#/components/schemas/{name}"}, registry=registry, format_checker=checker)
        errors = sorted(validator.iter_errors(instance), key=lambda e: (list(e.absolute_path), e.message))
        if errors:
            failed += 1
            print(f"FAIL {file.name}: {len(errors)} error(s) against #/components/schemas/{name}")
            for error in errors:
                for line in describe(error):
                    print(f"    {line}")
        else:
            passed += 1
            print(f"ok   {file.name}")

    if require_all:
        present = {file.stem for file in files}
        for name, schema in sorted(schemas.items()):
            is_object = isinstance(schema, dict) and (
                schema.get("type") == "object" or any(k in schema for k in ("allOf", "oneOf", "anyOf")))
            if is_object and name not in present:
                print(f"FAIL {name}.json: missing sample for object schema #/components/schemas/{name}")
                failed += 1
    return passed, failed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Validate the OpenAPI contract and JSON samples against it.")
    parser.add_argument("spec", type=Path, help="the OpenAPI document (YAML or JSON)")
    parser.add_argument("samples", type=Path, nargs="?", help="directory of <SchemaName>.json samples")
    parser.add_argument("--require-all", action="store_true",
                        help="fail when an object schema of the spec has no sample in SAMPLES")
    args = parser.parse_args(argv)

    try:
        spec = load_spec(args.spec)
    except (OSError, ValueError, yaml.YAMLError) as error:
        print(f"FAIL {args.spec}: cannot read the spec: {error}")
        print("contract: 0 passed, 1 failed")
        return 1

    spec_errors = check_spec(spec)
    if spec_errors:
        print(f"FAIL {args.spec}: not a valid OpenAPI 3.1 document")
        for message in spec_errors:
            print(f"    {message}")
        print("contract: 0 passed, 1 failed")
        return 1
    print(f"ok   {args.spec} (OpenAPI {spec.get('openapi')}, {len(spec.get('components', {}).get('schemas', {}))} schemas)")

    if args.samples is None:
        if args.require_all:
            parser.error("--require-all needs SAMPLES_DIR")
        print("contract: 1 passed, 0 failed")
        return 0
    if not args.samples.is_dir():
        print(f"FAIL {args.samples}: not a directory")
        print("contract: 0 passed, 1 failed")
        return 1

    passed, failed = check_samples(spec, args.samples, args.require_all)
    print(f"contract: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
