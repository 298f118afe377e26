"""The recovery templates' sandbox: a template is plain text with `{{ placeholder }}`s from the
list below, and nothing else. No tag, no filter, no attribute (`{{ customer_name.upper }}`), no
other variable: a template that tries is refused with a form error when saved, and again when
sent (a template written straight into the database gets no further).

It is parsed by Django's template lexer and parser with no tag or filter library at all (so
every `{% tag %}` and `|filter` is a syntax error), then each variable is checked against the
list. It is never rendered by Django: the text and HTML parts are put together here from the
parsed pieces, the HTML part escaping the template's own text as well as every value, so a `<`
the store typed is a `<` in the customer's mail, not markup.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.template import Engine, Template, TemplateSyntaxError
from django.template.base import Node, TextNode, Variable, VariableNode
from django.utils.html import escape

PLACEHOLDERS = {
    "customer_name": "the customer’s name",
    "customer_number": "the customer number",
    "contact_name": "the customer’s contact (their name when there is none)",
    "cart_lines": "the cart’s lines: quantity, product, item, unit price and line total",
    "cart_total": "the cart’s total, in its currency",
    "cart_link": "the signed link that opens the cart on the store after signing in",
    "rep_name": "the customer’s sales rep",
    "rep_email": "the rep’s e-mail address (replies go there)",
    "store_name": "the store’s name (STORE_NAME)",
}


class TemplateRefused(ValueError):
    """The template reaches for something it may not; the message says what."""


class _NoLibraries(Engine):
    default_builtins: list[str] = []  # not even Django's default tags and filters


ENGINE = _NoLibraries(libraries={}, builtins=[], autoescape=False)

# A parsed template: its text as written (True, text) or a placeholder (False, name).
Piece = tuple[bool, str]


@dataclass(frozen=True)
class Value:
    """A placeholder's value in each part: as text, and as HTML that is already escaped."""

    text: str
    html: str


def listed() -> str:
    return ", ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS)


def parse(source: str) -> list[Piece]:
    """The template's pieces, or TemplateRefused naming the first thing it may not use."""
    try:
        nodes = Template(source, engine=ENGINE).nodelist
    except TemplateSyntaxError as error:
        raise TemplateRefused(
            f"{_plain(error)} Only placeholders may be used: {listed()}."
        ) from None
    return [_piece(node) for node in nodes]


def _plain(error: TemplateSyntaxError) -> str:
    said = str(error)
    if said.startswith("Invalid block tag"):
        return "Tags ({% … %}) are not allowed."
    if said.startswith("Invalid filter"):
        return "Filters (|…) are not allowed."
    return f"This is not a template: {said}."


def _piece(node: Node) -> Piece:
    if isinstance(node, TextNode):
        return (True, node.s)
    if isinstance(node, VariableNode):
        found = node.filter_expression
        variable = found.var
        if (
            not found.filters
            and isinstance(variable, Variable)
            and variable.lookups is not None
            and len(variable.lookups) == 1
            and variable.lookups[0] in PLACEHOLDERS
        ):
            return (False, variable.lookups[0])
        raise TemplateRefused(
            f"{{{{ {found.token} }}}} is not a placeholder. Use only: {listed()}."
        )
    raise TemplateRefused(
        f"Only text and placeholders may be used: {listed()}."
    )  # pragma: no cover


def check(source: str) -> None:
    parse(source)


def render_text(pieces: list[Piece], values: Mapping[str, Value]) -> str:
    return "".join(text if literal else values[text].text for literal, text in pieces)


def render_html(pieces: list[Piece], values: Mapping[str, Value]) -> str:
    """The same message as HTML: the template's text escaped, its line breaks kept."""
    html = "".join(escape(text) if literal else values[text].html for literal, text in pieces)
    return html.replace("\r\n", "\n").replace("\n", "<br>\n")


def one_line(text: str) -> str:
    """`text` with every line break and other control character made a space: for a subject or
    a name in a header, where a CR or LF could start a header of its own."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())
