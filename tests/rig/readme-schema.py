#!/usr/bin/env python3
"""Validate a JSON document against a schema that README.md documents.

Usage: readme-schema.py README.md TITLE FILE

Takes the ```json block of README.md whose "title" is TITLE (a JSON
Schema) and checks FILE against it.  Only what those schemas use is
implemented: type (one or a list), enum, properties, required,
additionalProperties false, items, minimum, pattern, $defs and local
$ref.  Prints one line per problem, with its JSON path, and exits 1 if
any; exits 2 when the schema is not found.
"""

import json
import re
import sys

TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and
    not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def schema_of(readme, title):
    text = open(readme, encoding="utf-8").read()
    for block in re.findall(r"```json\n(.*?)```", text, re.S):
        try:
            s = json.loads(block)
        except ValueError as e:
            sys.exit("README.md: a json block does not parse: %s" % e)
        if isinstance(s, dict) and s.get("title") == title:
            return s
    print("README.md documents no schema titled '%s'" % title)
    sys.exit(2)


def check(root, schema, value, where, bad):
    if "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/"):
            bad.append("%s: unsupported $ref %s" % (where, ref))
            return
        schema = root["$defs"][ref[len("#/$defs/"):]]
    if "enum" in schema and value not in schema["enum"]:
        bad.append("%s: %r is not one of %r" % (where, value, schema["enum"]))
        return
    if "type" in schema:
        types = schema["type"]
        types = types if isinstance(types, list) else [types]
        if not any(TYPES[t](value) for t in types):
            bad.append("%s: %r is not of type %s" % (where, value,
                                                     "/".join(types)))
            return
    if isinstance(value, str) and "pattern" in schema and \
            not re.search(schema["pattern"], value):
        bad.append("%s: %r does not match %s" % (where, value,
                                                 schema["pattern"]))
    if TYPES["number"](value) and "minimum" in schema and \
            value < schema["minimum"]:
        bad.append("%s: %r is below %r" % (where, value, schema["minimum"]))
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for k in schema.get("required", []):
            if k not in value:
                bad.append("%s: no member '%s'" % (where, k))
        for k, v in value.items():
            if k in props:
                check(root, props[k], v, "%s.%s" % (where, k), bad)
            elif schema.get("additionalProperties") is False:
                bad.append("%s: member '%s' is not in the schema"
                           % (where, k))
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            check(root, schema["items"], v, "%s[%d]" % (where, i), bad)


def main():
    readme, title, path = sys.argv[1:4]
    schema = schema_of(readme, title)
    try:
        with open(path, encoding="utf-8") as f:
            value = json.load(f)
    except ValueError as e:
        print("%s: not JSON: %s" % (path, e))
        return 1
    bad = []
    check(schema, schema, value, "$", bad)
    for line in bad:
        print(line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
