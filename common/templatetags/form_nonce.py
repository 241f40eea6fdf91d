"""``{% form_nonce %}``: the hidden field that makes a form's POST do its write once
(``common.double_submit``); a built-in tag (settings ``TEMPLATES`` ``builtins``), next to every
``{% csrf_token %}`` of a POST form."""

from __future__ import annotations

import uuid

from django import template
from django.utils.html import format_html

from common.double_submit import FIELD

register = template.Library()


@register.simple_tag
def form_nonce() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4().hex)
