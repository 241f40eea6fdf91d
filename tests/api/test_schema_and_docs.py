"""The OpenAPI schema: served at /api/v1/schema/, Dutch descriptions everywhere, docs page."""

import pytest

from apiauth.docs import openapi_schema

pytestmark = pytest.mark.django_db

CASELOAD = "/api/v1/caseload/"


def caseload_component_names(schema):
    names = set()

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if ref:
                names.add(ref.rsplit("/", 1)[-1])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path, item in schema["paths"].items():
        if path.startswith(CASELOAD):
            walk(item)
    # follow references between components
    for _ in range(3):
        for name in list(names):
            walk(schema["components"]["schemas"].get(name, {}))
    return names


def test_schema_is_served_to_authenticated_clients(api_client, token_client):
    assert api_client.get("/api/v1/schema/").status_code == 401
    response = token_client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    served = response.json()
    assert served["openapi"].startswith("3.")
    assert set(served["paths"]) == set(openapi_schema()["paths"])
    assert "apiToken" in served["components"]["securitySchemes"]


def test_every_caseload_field_and_parameter_has_a_description():
    schema = openapi_schema()
    missing = []
    for name in caseload_component_names(schema):
        component = schema["components"]["schemas"][name]
        for field, prop in component.get("properties", {}).items():
            if not prop.get("description"):
                missing.append(f"{name}.{field}")
    for path, item in schema["paths"].items():
        if not path.startswith(CASELOAD):
            continue
        for method, op in item.items():
            for param in op.get("parameters", []):
                if not param.get("description"):
                    missing.append(f"{method.upper()} {path} ?{param['name']}")
    assert missing == []


def test_no_bsn_in_any_path_or_query_parameter():
    schema = openapi_schema()
    for path, item in schema["paths"].items():
        assert "bsn" not in path.lower()
        for op in item.values():
            for param in op.get("parameters", []):
                assert "bsn" not in param["name"].lower(), (path, param["name"])


def test_creates_document_idempotency_and_updates_document_if_match():
    paths = openapi_schema()["paths"]
    create = paths[CASELOAD + "contact-moments/"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in create["parameters"])
    assert {"201", "400", "422", "429"} <= set(create["responses"])
    patch = paths[CASELOAD + "residents/{id}/"]["patch"]
    if_match = next(p for p in patch["parameters"] if p["name"] == "If-Match")
    assert if_match["required"] is True
    assert {"200", "412", "428"} <= set(patch["responses"])
    assert create["requestBody"]["content"]["application/json"]["examples"]


def test_docs_page_lists_operations(client, consulent):
    client.force_login(consulent)
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/v1/caseload/residents/search/" in html
    assert "Inwoner zoeken op BSN" in html
    assert "<script" not in html.split("</head>", 1)[1]  # no inline scripts, no CDN
    assert "cdn." not in html
