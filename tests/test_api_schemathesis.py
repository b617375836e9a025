"""schemathesis against the live app (WSGI): every operation of /api/v1/openapi.json, with schema-
valid (positive) and schema-breaking (negative) data, for an admin token and a coordinator token.
No answer is a server error; every answer of valid data conforms to the document (status code,
content type, headers, body schema). Bounded (a few examples per operation) and deterministic
(derandomized Hypothesis, no example database): well under two minutes on the CI machine."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_headers_conformance, response_schema_conformance, status_code_conformance,
)

from . import world as W
from .api_helpers import bearer, token_for

EXAMPLES = {GenerationMode.POSITIVE: 3, GenerationMode.NEGATIVE: 2}
CHECKS = {GenerationMode.POSITIVE: [not_a_server_error, status_code_conformance, content_type_conformance,
                                    response_headers_conformance, response_schema_conformance],
          GenerationMode.NEGATIVE: [not_a_server_error, content_type_conformance]}


@pytest.mark.schemathesis
@pytest.mark.parametrize("role", ["admin", "coordinator"])
def test_every_operation_conforms_and_never_errors(app, role):
    w = W.build()
    headers = bearer(token_for(w.users[role], "write"))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    assert schema.raw_schema["openapi"] == "3.1.0"
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    tried = 0
    for operation in operations:
        for mode, examples in EXAMPLES.items():
            checks = CHECKS[mode]

            @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                case.call_and_validate(headers=headers, checks=checks)

            run()
            tried += 1
    assert tried == 2 * len(operations)
