"""The OpenAPI schema flattened for the server-rendered docs page (/api/v1/docs/)."""

from __future__ import annotations

from functools import lru_cache

from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@lru_cache(maxsize=1)
def openapi_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema: dict, node: dict | None) -> dict:
    while node and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"].get(name, {})
    return node or {}


def _type(schema: dict, node: dict) -> str:
    if "$ref" in node:
        target = _resolve(schema, node)
        if "enum" in target:
            return "keuze: " + ", ".join(str(v) for v in target["enum"] if v not in ("", None))
        return node["$ref"].rsplit("/", 1)[-1]
    if "allOf" in node:
        return " / ".join(_type(schema, n) for n in node["allOf"])
    if "oneOf" in node:
        return " of ".join(_type(schema, n) for n in node["oneOf"])
    kind = node.get("type", "object")
    if kind == "array":
        return "lijst van " + _type(schema, node.get("items", {}))
    fmt = node.get("format")
    return f"{kind} ({fmt})" if fmt else kind


def _fields(schema: dict, node: dict | None) -> list[dict]:
    target = _resolve(schema, node)
    if target.get("type") == "array":
        target = _resolve(schema, target.get("items"))
    required = set(target.get("required", []))
    out = []
    for name, prop in target.get("properties", {}).items():
        out.append(
            {
                "name": name,
                "type": _type(schema, prop),
                "required": name in required,
                "read_only": prop.get("readOnly", False),
                "nullable": prop.get("nullable", False),
                "description": prop.get("description")
                or _resolve(schema, prop).get("description", ""),
            }
        )
    return out


def api_operations(request=None) -> list[dict]:
    """[{'tag', 'operations': [{method, path, summary, description, parameters, request,
    responses, scopes}]}] in schema order."""
    schema = openapi_schema()
    groups: dict[str, list[dict]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            body = (op.get("requestBody") or {}).get("content", {}).get("application/json", {})
            ok = next(
                (r for code, r in op.get("responses", {}).items() if code.startswith("2")), {}
            )
            ok_schema = (ok.get("content") or {}).get("application/json", {}).get("schema")
            groups.setdefault((op.get("tags") or ["api"])[0], []).append(
                {
                    "id": op.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "type": _type(schema, p.get("schema", {})),
                            "description": p.get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "request": _fields(schema, body.get("schema")) if body else [],
                    "examples": [
                        {"name": name, "value": ex.get("value")}
                        for name, ex in (body.get("examples") or {}).items()
                    ],
                    "response": _fields(schema, ok_schema),
                    "codes": sorted(op.get("responses", {})),
                }
            )
    return [{"tag": tag, "operations": ops} for tag, ops in groups.items()]
