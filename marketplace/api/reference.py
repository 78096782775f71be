"""The API reference page's content, read from the OpenAPI document: each call with its
parameters, body fields and answers, and each schema's fields. The page (templates/api/docs.html)
is plain HTML, so it needs no script and no outside assets."""

from dataclasses import dataclass, field

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    scope: str
    parameters: list[Field]
    body: str | None
    responses: list[tuple[str, str]]


@dataclass(frozen=True)
class Reference:
    title: str
    description: str
    operations: list[Operation]
    schemas: list[tuple[str, list[Field]]] = field(default_factory=list)


def _type(schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        nullable = "null" in kind
        kind = " or ".join(k for k in kind if k != "null") + (" or null" if nullable else "")
    if kind.startswith("array") and "items" in schema:
        return f"list of {_type(schema['items'])}"
    if "enum" in schema:
        return f"{kind}: one of " + ", ".join(str(v) for v in schema["enum"] if v is not None)
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    if schema.get("maxLength"):
        return f"{kind}, at most {schema['maxLength']:,} characters"
    return kind


def _fields(schema: dict) -> list[Field]:
    required = set(schema.get("required", []))
    return [Field(name, _type(spec), name in required, spec.get("description", ""))
            for name, spec in schema.get("properties", {}).items()]


def of(spec: dict) -> Reference:
    operations = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            doc = (operation.get("description") or operation.get("summary") or "").strip()
            summary, _, rest = doc.partition("\n")
            parameters = [Field(p["name"], f"{p['in']}: {_type(p.get('schema', {}))}",
                                p.get("required", False), p.get("description", ""))
                          for p in [*item.get("parameters", []), *operation.get("parameters", [])]]
            content = operation.get("requestBody", {}).get("content", {})
            body = _type(content["application/json"]["schema"]) \
                if "application/json" in content else None
            responses = []
            for status, answer in operation.get("responses", {}).items():
                schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
                if "$ref" in answer:  # a shared error answer (components/responses)
                    what = "Error"
                else:
                    what = _type(schema) if schema else answer.get("description", "")
                responses.append(("any other" if status == "default" else status, what))
            scope = next((s for s in operation.get("x-scope", [])), "")
            operations.append(Operation(
                method.upper(), path, f"{method}-{path}".replace("/", "-").replace("{", "")
                .replace("}", ""), summary, " ".join(rest.split()), scope, parameters, body,
                responses))
    schemas = [(name, _fields(schema)) for name, schema
               in sorted(spec.get("components", {}).get("schemas", {}).items())]
    info = spec.get("info", {})
    return Reference(info.get("title", "API"), info.get("description", ""), operations, schemas)
