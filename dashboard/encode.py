"""Output encoding: the one path every user text takes to the page.

A hotspot name, a unit name from an imported boundary layer, a file name or a
cell value may hold anything (``<img src=x onerror=…>``, ``${alert(1)}``, a
backtick, ``![x](http://…)``). What makes such a text harmless depends on
where it lands, so there is one function per context, and callers pick the
one for the place the text ends up in:

========================  ===================================================
:func:`html_text`         HTML element content or a quoted attribute value
                          that no script touches (the map legend, tile
                          attribution).
:func:`map_text`          HTML that folium writes into JavaScript: a
                          ``Tooltip``/``Popup`` text (inside a template
                          literal), a layer name (a JS string the layer
                          control inserts as HTML), a ``GeoJsonTooltip``
                          field or alias (inserted with ``innerHTML``).
:func:`markdown_text`     Streamlit markdown (``st.markdown``, ``st.caption``,
                          ``st.error``, headers…).
:func:`js_string`         A value written into a ``<script>`` as a literal.
========================  ===================================================

The map's HTML is made by folium, whose elements render their templates and then
compile what they rendered as a Jinja template again: a ``{{ … }}``, ``{% … %}`` or
``{# … #}`` in a user's text would run on the server. So no text these functions
write for a map opens such a tag: :func:`html_text` and :func:`map_text` write
braces as character references, :func:`js_string` as ``\\u007b``/``\\u007d``, and
:func:`script_json` the ``{`` of any ``{{``, ``{%`` or ``{#`` as ``\\u007b``.

Every function takes any value; ``None`` and missing values (``NaN``,
``NaT``, ``pd.NA``) become the empty text. Nothing here touches Streamlit or
folium.
"""

from __future__ import annotations

import html
import json
import math
import re

__all__ = ["html_text", "js_string", "map_text", "markdown_text"]


def _text(value) -> str:
    """``value`` as text; missing values (None, NaN, NaT, pd.NA) as ''."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if type(value).__name__ in ("NaTType", "NAType"):  # pandas' missing values, without pandas
        return ""
    return str(value)


#: Braces as character references: no Jinja tag can open (see the module's text).
_BRACES_IN_HTML = str.maketrans({"{": "&#123;", "}": "&#125;"})


def html_text(value) -> str:
    """Text for an HTML body or a quoted attribute value: ``& < > " '`` become
    entities, so the browser shows the characters and parses no markup, and the
    braces character references, so no Jinja tag opens.

    Not enough where the HTML itself sits inside JavaScript (use
    :func:`map_text`) or in markdown (use :func:`markdown_text`)."""
    text = html.escape(_text(value), quote=True)
    return text.translate(_BRACES_IN_HTML) if "{" in text or "}" in text else text


#: After HTML escaping, what could still end a JavaScript template literal or
#: string, or start an interpolation, as numeric character references: the
#: browser shows the same characters once the HTML is parsed.
_JS_IN_HTML = str.maketrans(
    {
        "$": "&#36;",  # ${…} interpolation in a template literal
        "`": "&#96;",  # ends a template literal
        "\\": "&#92;",  # escapes the closing quote or backtick
        "\n": "&#10;",  # line terminators end a '…' or "…" string
        "\r": "&#13;",
        "\u2028": "&#8232;",
        "\u2029": "&#8233;",
    }
)

#: Any character of :data:`_JS_IN_HTML`: a text without one is left as it is.
_JS_SPECIAL = re.compile("[" + re.escape("".join(map(chr, _JS_IN_HTML))) + "]")


def map_text(value) -> str:
    """Text for HTML that folium puts inside JavaScript (a template literal or
    a string): tooltips, popups, layer names, ``GeoJsonTooltip`` fields.

    HTML-escaped as :func:`html_text` does (which also removes every ``<``,
    so no ``</script`` is left), and then ``$``, backtick, backslash and line
    terminators become character references: no ``${…}`` can run, no quote
    or backtick can end the literal, and once the browser parses the HTML it
    shows exactly the original text."""
    text = html_text(value)
    return text.translate(_JS_IN_HTML) if _JS_SPECIAL.search(text) else text  # most texts have none


#: Markdown that could make a message fetch, link or format something as
#: code or math: images and links (``![x](…)``, ``[x](…)``), autolinks
#: (``<http://…>``), raw HTML, code spans, backslash escapes, ``$`` math, and
#: ``&`` (character references such as ``&lt;``).
_MARKDOWN = re.compile(r"([\\`\[\]<>$&])")


def markdown_text(value) -> str:
    """Text for Streamlit's markdown elements (``st.markdown``, ``st.caption``,
    ``st.error``/``st.info``/``st.success``, ``st.subheader``…): every
    character that could turn a file name or cell value into an image (a
    request leaving the machine), a link, HTML, a code span or math is
    backslash-escaped, so it shows as typed. Ordinary punctuation is left as
    it is.

    For markdown only: the backslashes show in any other context."""
    return _MARKDOWN.sub(r"\\\1", _text(value))


#: What ends a ``<script>`` or an HTML attribute early, or a line in old
#: JavaScript engines, inside a JSON string literal.
_SCRIPT = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "'": "\\u0027",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)
#: A string literal's braces (:func:`js_string`: the literal is all string).
_BRACES_IN_STRING = str.maketrans({"{": "\\u007b", "}": "\\u007d"})
#: In JSON, a ``{`` followed by ``{``, ``%`` or ``#`` is inside a string: an object's own
#: ``{`` is followed by ``"`` or ``}``.
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def js_string(value) -> str:
    """``value`` as a JavaScript string literal (a JSON string, quotes
    included) for a ``<script>`` or an inline event attribute: ``<``, ``>``,
    ``&``, ``'`` and U+2028/2029 as ``\\uXXXX`` escapes, so no ``</script>``,
    attribute end or line break can appear. The script reads back exactly
    the original text."""
    return json.dumps(_text(value), ensure_ascii=False).translate(_SCRIPT).translate(_BRACES_IN_STRING)


def script_json(value) -> str:
    """``value`` (any JSON-able data) as compact JSON for a ``<script>``: UTF-8
    text rather than ``\\uXXXX`` escapes, no spaces, and, as :func:`js_string`
    writes it, ``< > & '`` and U+2028/2029 escaped, so nothing in it can end the
    script or a string; and no ``{{``, ``{%`` or ``{#`` is left (the ``{`` written
    ``\\u007b``)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT)
    return _JINJA_OPEN.sub(r"\\u007b", text) if "{{" in text or "{%" in text or "{#" in text else text
