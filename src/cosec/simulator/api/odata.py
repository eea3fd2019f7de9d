"""OData query options as Graph applies them: $filter (a documented subset), $select,
$orderby, and opaque paging tokens.

$filter supports comparisons (`eq ne gt ge lt le`) of a property path with a literal
(string, number, boolean, null, GUID, DateTimeOffset), `startswith`/`endswith`, and
`and`/`or`/`not` with parentheses. Each endpoint says which properties it lets clients
filter on; anything else is refused the way Graph refuses it.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]


class QueryError(ValueError):
    """A query option Graph would reject with 400; `code` is Graph's error code."""

    def __init__(self, message: str, code: str = "BadRequest") -> None:
        super().__init__(message)
        self.code = code


_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<str>'(?:[^']|'')*')"
    r"|(?P<dt>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)"
    r"|(?P<guid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
    r"|(?P<num>-?\d+(?:\.\d+)?)"
    r"|(?P<punct>[(),])"
    r"|(?P<word>[A-Za-z_@][\w./@]*)"
    r")"
)

_COMPARISONS = {"eq", "ne", "gt", "ge", "lt", "le"}

Predicate = Callable[[Json], bool]


@dataclass(frozen=True)
class Comparison:
    path: str
    op: str
    value: Any


@dataclass(frozen=True)
class Filter:
    """A parsed $filter: a predicate plus what it mentions (for validation and windows)."""

    text: str
    predicate: Predicate
    comparisons: tuple[Comparison, ...]
    conjunctive: bool  # only `and` at the top level: comparisons bound the result set

    def matches(self, item: Json) -> bool:
        return self.predicate(item)

    @property
    def properties(self) -> set[str]:
        return {c.path for c in self.comparisons}

    def window(self, prop: str) -> tuple[dt.datetime | None, dt.datetime | None]:
        """Inclusive [low, high] bounds on a DateTimeOffset property, when the filter is a
        plain conjunction (used to skip days a stream cannot match)."""
        low: dt.datetime | None = None
        high: dt.datetime | None = None
        if not self.conjunctive:
            return None, None
        for c in self.comparisons:
            if c.path != prop or not isinstance(c.value, dt.datetime):
                continue
            if c.op in ("ge", "gt", "eq"):
                low = c.value if low is None else max(low, c.value)
            if c.op in ("le", "lt", "eq"):
                high = c.value if high is None else min(high, c.value)
        return low, high


def parse_filter(text: str) -> Filter:
    tokens = _tokenize(text)
    parser = _Parser(tokens)
    predicate = parser.parse_or()
    if parser.pos != len(tokens):
        raise QueryError(f"Invalid filter clause: syntax error at '{tokens[parser.pos][1]}'.")
    return Filter(
        text=text,
        predicate=predicate,
        comparisons=tuple(parser.comparisons),
        conjunctive=not parser.saw_or_not,
    )


def _tokenize(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise QueryError(f"Invalid filter clause: unexpected text at position {pos}.")
        kind = m.lastgroup
        assert kind is not None
        out.append((kind, m.group(kind)))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


def parse_datetime(value: str) -> dt.datetime:
    text = value.replace("Z", "+00:00")
    # Graph sends up to 7 fractional digits; Python reads at most 6.
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    parsed = dt.datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def lookup(item: Json, path: str) -> Any:
    value: Any = item
    for part in path.split("/"):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _compare(actual: Any, op: str, expected: Any) -> bool:
    if isinstance(expected, dt.datetime):
        if not isinstance(actual, str):
            return op == "ne"
        try:
            actual = parse_datetime(actual)
        except ValueError:
            return False
    elif isinstance(expected, str) and isinstance(actual, str):
        actual, expected = actual.lower(), expected.lower()
    if op == "eq":
        return bool(actual == expected)
    if op == "ne":
        return bool(actual != expected)
    if actual is None or expected is None:
        return False
    try:
        if op == "gt":
            return bool(actual > expected)
        if op == "ge":
            return bool(actual >= expected)
        if op == "lt":
            return bool(actual < expected)
        return bool(actual <= expected)
    except TypeError:
        return False


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.comparisons: list[Comparison] = []
        self.saw_or_not = False

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise QueryError("Invalid filter clause: unexpected end of expression.")
        self.pos += 1
        return tok

    def expect(self, value: str) -> None:
        _, text = self.take()
        if text != value:
            raise QueryError(f"Invalid filter clause: expected '{value}', found '{text}'.")

    def is_word(self, word: str) -> bool:
        tok = self.peek()
        return tok is not None and tok[0] == "word" and tok[1].lower() == word

    def parse_or(self) -> Predicate:
        parts = [self.parse_and()]
        while self.is_word("or"):
            self.pos += 1
            self.saw_or_not = True
            parts.append(self.parse_and())
        if len(parts) == 1:
            return parts[0]
        return lambda item: any(p(item) for p in parts)

    def parse_and(self) -> Predicate:
        parts = [self.parse_unary()]
        while self.is_word("and"):
            self.pos += 1
            parts.append(self.parse_unary())
        if len(parts) == 1:
            return parts[0]
        return lambda item: all(p(item) for p in parts)

    def parse_unary(self) -> Predicate:
        if self.is_word("not"):
            self.pos += 1
            self.saw_or_not = True
            inner = self.parse_unary()
            return lambda item: not inner(item)
        tok = self.peek()
        if tok is not None and tok == ("punct", "("):
            self.pos += 1
            inner = self.parse_or()
            self.expect(")")
            return inner
        kind, word = self.take()
        if kind != "word":
            raise QueryError(f"Invalid filter clause: expected a property, found '{word}'.")
        if word.lower() in ("startswith", "endswith"):
            return self.parse_function(word.lower())
        op_kind, op = self.take()
        if op_kind != "word" or op.lower() not in _COMPARISONS:
            raise QueryError(f"Invalid filter clause: unknown operator '{op}'.")
        value = self.literal()
        comparison = Comparison(word, op.lower(), value)
        self.comparisons.append(comparison)
        return lambda item: _compare(lookup(item, comparison.path), comparison.op, value)

    def parse_function(self, name: str) -> Predicate:
        self.expect("(")
        kind, path = self.take()
        if kind != "word":
            raise QueryError(f"Invalid filter clause: {name} needs a property.")
        self.expect(",")
        value = self.literal()
        self.expect(")")
        if not isinstance(value, str):
            raise QueryError(f"Invalid filter clause: {name} needs a string.")
        self.comparisons.append(Comparison(path, name, value))
        needle = value.lower()

        def test(item: Json) -> bool:
            actual = lookup(item, path)
            if not isinstance(actual, str):
                return False
            hay = actual.lower()
            return hay.startswith(needle) if name == "startswith" else hay.endswith(needle)

        return test

    def literal(self) -> Any:
        kind, text = self.take()
        if kind == "str":
            return text[1:-1].replace("''", "'")
        if kind == "dt":
            try:
                return parse_datetime(text)
            except ValueError as exc:
                raise QueryError(f"Invalid filter clause: bad date '{text}'.") from exc
        if kind == "guid":
            return text.lower()
        if kind == "num":
            return float(text) if "." in text else int(text)
        if kind == "word" and text.lower() in ("true", "false"):
            return text.lower() == "true"
        if kind == "word" and text.lower() == "null":
            return None
        raise QueryError(f"Invalid filter clause: expected a value, found '{text}'.")


def select(item: Json, fields: Sequence[str] | None) -> Json:
    """Keep only the selected properties (and OData annotations such as @odata.type)."""
    if fields is None:
        return item
    wanted = set(fields)
    return {k: v for k, v in item.items() if k in wanted or k.startswith("@odata.")}


def parse_list(value: str | None) -> list[str] | None:
    if value is None:
        return None
    parts = [p.strip() for p in value.split(",") if p.strip()]
    return parts or None


def parse_orderby(value: str | None) -> list[tuple[str, bool]]:
    """[(property, descending)]."""
    out: list[tuple[str, bool]] = []
    for part in parse_list(value) or []:
        words = part.split()
        if len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
            raise QueryError(f"Invalid $orderby clause '{part}'.")
        out.append((words[0], len(words) == 2 and words[1].lower() == "desc"))
    return out


def encode_token(state: Json) -> str:
    raw = json.dumps(state, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_token(token: str) -> Json:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        state = json.loads(raw)
    except ValueError as exc:
        raise QueryError("Invalid skip token.", code="Request_BadRequest") from exc
    if not isinstance(state, dict):
        raise QueryError("Invalid skip token.", code="Request_BadRequest")
    return state
