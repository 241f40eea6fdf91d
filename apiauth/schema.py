"""OpenAPI (drf-spectacular) glue: the token security scheme, the structured error responses on
every operation, and the Idempotency-Key / If-Match / ETag headers where a view supports them."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from .idempotency import IdempotentCreateMixin


class ErrorItemSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Vaste, machineleesbare foutcode.")
    message = serializers.CharField(help_text="Uitleg in het Nederlands, zonder persoonsgegevens.")
    field = serializers.CharField(
        allow_null=True, help_text="Het veld waar de fout over gaat, of null."
    )


class ErrorResponseSerializer(serializers.Serializer):
    errors = ErrorItemSerializer(many=True, help_text="Eén of meer fouten.")


ERROR_DESCRIPTIONS = {
    "400": "Ongeldige invoer of een bedrijfsregel weigert de actie.",
    "401": "Niet ingelogd of geen geldige API-sleutel.",
    "403": "Geen toegang: rol of scope ontbreekt.",
    "404": "Niet gevonden, of niet zichtbaar voor deze gebruiker.",
    "429": "Te veel verzoeken; probeer het na Retry-After seconden opnieuw.",
}


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorResponseSerializer, description=description)


class ApiAutoSchema(AutoSchema):
    def _is_idempotent_create(self) -> bool:
        return isinstance(self.view, IdempotentCreateMixin) and self._is_create_operation()

    def _uses_etag(self) -> bool:
        return getattr(self.view, "action", None) in getattr(self.view, "etag_actions", ())

    def _is_update(self) -> bool:
        return self.method in ("PUT", "PATCH") and self._uses_etag()

    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        if "{id}" in self.path and not any(
            isinstance(p, OpenApiParameter) and p.name == "id" for p in params
        ):
            params.append(
                OpenApiParameter(
                    "id",
                    OpenApiTypes.INT,
                    OpenApiParameter.PATH,
                    description="Technisch id van de resource.",
                )
            )
        if self._is_idempotent_create():
            params.append(
                OpenApiParameter(
                    "Idempotency-Key",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    required=False,
                    description=(
                        "Unieke sleutel van de client (bijv. een UUID). Een herhaling met dezelfde "
                        "sleutel geeft het eerste antwoord terug en maakt niets nieuws aan."
                    ),
                    pattern=r"^[!-~]{1,255}$",
                )
            )
        if self._is_update():
            params.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    required=True,
                    description="De ETag uit het laatste GET-antwoord op deze resource.",
                )
            )
        if self._uses_etag():
            params.append(
                OpenApiParameter(
                    "ETag",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    response=["200"],
                    description="Versie van de resource; stuur mee als If-Match bij wijzigen.",
                )
            )
        return params

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        extra = dict(ERROR_DESCRIPTIONS)
        if self._is_idempotent_create():
            extra["422"] = "Deze Idempotency-Key is al gebruikt voor een ander verzoek."
        if self._is_update():
            extra["412"] = "De If-Match-ETag is verouderd: de resource is intussen gewijzigd."
            extra["428"] = "De If-Match-header ontbreekt."
        for code, description in extra.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    _error(description), code, direction=direction
                )
        return responses


class ApiTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "apiauth.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "API-sleutel van een serviceaccount: `Authorization: Bearer <sleutel>`. "
                "Functioneel beheer maakt sleutels aan; de scopes bepalen wat de sleutel mag."
            ),
        }
