"""A catalog's plural rule as a small JSON tree, so the browser can choose plural forms
from the very rule in the .po header without evaluating code.

The gettext rule is a C expression over n, e.g. "(n != 1)" or
"(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2)". It is parsed here into nested lists:
"n", integers, [op, a, b] for binary operators, ["!", a] and ["?", test, then, else].
client/static/js/i18n.js evaluates the same tree; `evaluate` is its Python twin (tests).
"""

from __future__ import annotations

import re
from typing import Any

Tree = Any  # "n" | int | list
TOKEN = re.compile(r"\s*(?:(\d+)|(n)|(\|\||&&|==|!=|<=|>=|[<>+\-*/%!?:()]))")
# Binary operators from the loosest to the tightest binding, as in C.
LEVELS = [["||"], ["&&"], ["==", "!="], ["<", ">", "<=", ">="], ["+", "-"], ["*", "/", "%"]]


class PluralRuleError(ValueError):
    pass


def _tokens(expression: str) -> list[str | int]:
    tokens: list[str | int] = []
    position = 0
    expression = expression.strip().rstrip(";")
    while position < len(expression):
        match = TOKEN.match(expression, position)
        if not match or match.end() == position:
            raise PluralRuleError(f"unexpected text in plural rule at {expression[position:]!r}")
        number, variable, operator = match.groups()
        tokens.append(int(number) if number is not None else (variable or operator))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[str | int]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> str | int | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str | int:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise PluralRuleError(f"expected {expected or 'more'} in plural rule, got {token!r}")
        self.at += 1
        return token

    def ternary(self) -> Tree:
        test = self.binary(0)
        if self.peek() != "?":
            return test
        self.take("?")
        then = self.ternary()
        self.take(":")
        return ["?", test, then, self.ternary()]

    def binary(self, level: int) -> Tree:
        if level == len(LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.peek() in LEVELS[level]:
            operator = self.take()
            left = [operator, left, self.binary(level + 1)]
        return left

    def unary(self) -> Tree:
        token = self.take()
        if token == "!":
            return ["!", self.unary()]
        if token == "(":
            inner = self.ternary()
            self.take(")")
            return inner
        if token == "n" or isinstance(token, int):
            return token
        raise PluralRuleError(f"unexpected {token!r} in plural rule")


def parse(expression: str) -> Tree:
    """The tree of a gettext plural expression (the part after "plural=")."""
    parser = _Parser(_tokens(expression))
    tree = parser.ternary()
    if parser.peek() is not None:
        raise PluralRuleError(f"unexpected {parser.peek()!r} after the plural rule")
    return tree


_BINARY = {
    "||": lambda a, b: int(bool(a) or bool(b)),
    "&&": lambda a, b: int(bool(a) and bool(b)),
    "==": lambda a, b: int(a == b),
    "!=": lambda a, b: int(a != b),
    "<": lambda a, b: int(a < b),
    ">": lambda a, b: int(a > b),
    "<=": lambda a, b: int(a <= b),
    ">=": lambda a, b: int(a >= b),
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a // b,
    "%": lambda a, b: a % b,
}


def evaluate(tree: Tree, n: int) -> int:
    if tree == "n":
        return n
    if isinstance(tree, int):
        return tree
    if tree[0] == "?":
        return evaluate(tree[2] if evaluate(tree[1], n) else tree[3], n)
    if tree[0] == "!":
        return int(not evaluate(tree[1], n))
    return int(_BINARY[tree[0]](evaluate(tree[1], n), evaluate(tree[2], n)))
