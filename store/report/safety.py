"""Participant text made safe for the report: escaping, link checks, Markdown bodies.

Every escape the report makes is here, for both formats: ``md_text``, ``md_paragraphs`` and
``md_code`` for text that is not Markdown, ``md_body`` for a Markdown body kept as Markdown,
``escape`` for HTML text and ``html_body`` for a body turned into HTML. The writers put
participant text into the report through these functions only.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from store.text import safe_line, safe_text

# --- links ------------------------------------------------------------------------------------

# The only schemes a participant's link may have; a link without one is relative (an anchor).
LINK_SCHEMES = ("http", "https", "mailto")
# What a browser drops from a URL before reading its scheme (tab, newline, leading controls and
# spaces); dropped everywhere here, which can only make more URLs look like they have a scheme.
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f-\x9f]")


def is_safe_link(url: str) -> bool:
    """Whether a link may go into the report: relative, or ``http``, ``https`` or ``mailto``.

    The check reads the URL the way the most lenient viewer would: entities and percent-escapes
    decoded (``&#106;avascript:``), whitespace and controls dropped (``java\\tscript:``), case
    ignored. Anything that then has a scheme outside the three is refused (``javascript:``,
    ``data:``, ``vbscript:``, ``file:``...), whether or not some browser would run it.
    """
    text = _URL_IGNORED.sub("", html.unescape(unquote(html.unescape(url))))
    scheme, colon, _rest = text.partition(":")
    if not colon or re.search(r"[/?#]", scheme):
        return True  # no scheme: the colon, if any, is in a path, a query or a fragment
    return scheme.lower() in LINK_SCHEMES


# --- Markdown -----------------------------------------------------------------------------------

# Characters that mean something inline in CommonMark (or GFM) and so are escaped in text
# that is not Markdown: titles, names, comments.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>#|~]|&(?=#?\w+;))")
# What starts a block at the beginning of a line: list markers, rules, setext underlines.
_MD_LINE_START = re.compile(r"^(\d*)([-+=.)])")
# A quick test for bodies that may need rewriting; most bodies are plain paragraphs.
_MD_RISKY = re.compile(r"(^ {0,3}[#=\-`~<])|<", re.MULTILINE)

_MD_PARSER = MarkdownIt("commonmark", {"html": True})
# The parser a body is checked with once rewritten: raw HTML on, as a typical viewer has it,
# and every link kept whatever its scheme, as a viewer that checks none would show it.
_MD_CHECKER = MarkdownIt("commonmark", {"html": True})
_MD_CHECKER.validateLink = lambda url: True  # type: ignore[method-assign]


def md_text(text: str) -> str:
    """One line of participant text, escaped so that it shows literally in Markdown."""
    escaped = safe_line(text)
    if _MD_INLINE.search(escaped):
        escaped = _MD_INLINE.sub(_backslash, escaped)
    # "-", "+", "=" and "1." or "1)" open a block only at the start of a line.
    start = _MD_LINE_START.match(escaped)
    if start:
        escaped = f"{start.group(1)}\\{escaped[start.end(1) :]}"
    return escaped


def md_code(text: str) -> str:
    """One line of participant text (a tag) as a Markdown code span."""
    # Backticks cannot be escaped inside a code span, so they are replaced.
    return "`" + text.replace("`", "'") + "`"


def _backslash(match: re.Match[str]) -> str:
    return "\\" + match.group(0)


def md_paragraphs(text: str) -> list[str]:
    """Plain participant text (a comment) as Markdown lines that cannot open a block.

    Line breaks are kept as hard breaks and blank lines as paragraph breaks.
    """
    lines: list[str] = []
    for paragraph in re.split(r"\n\s*\n", safe_text(text).strip()):
        rows = [md_text(row) for row in paragraph.split("\n") if row.strip()]
        if rows:
            if lines:
                lines.append("")
            lines.extend(f"{row}\\" for row in rows[:-1])
            lines.append(rows[-1])
    return lines


def md_body(body: str, level: int) -> str:
    """An entry's Markdown body, kept as Markdown but unable to break the report around it.

    Its headings go below ``level``; an unclosed code fence is closed; raw HTML is escaped
    so that it shows as text wherever the Markdown is turned into a page.

    Recognising every way Markdown can spell raw HTML or a link (backslashes, backticks,
    entities, reference definitions) is not attempted as the guarantee: the rewritten body is
    parsed again as a viewer would, and if that parse finds raw HTML or a link that
    ``is_safe_link`` refuses, the body is written as plain text instead, every Markdown
    character escaped.
    """
    text = body.strip("\n")
    if not text.strip():
        return text
    rewritten = _md_rewrite(text, level)
    if ("<" in rewritten or "[" in rewritten) and not _md_is_inert(rewritten):
        return "\n".join(md_paragraphs(text))
    return rewritten


def _md_is_inert(text: str) -> bool:
    """Whether Markdown holds no raw HTML and no refused link, read as a lenient viewer would."""
    env: dict[str, Any] = {}
    tokens = _MD_CHECKER.parse(text, env)
    references = env.get("references", {}).values()
    if not all(is_safe_link(str(ref.get("href", ""))) for ref in references):
        return False
    for token in _walk(tokens):
        if token.type in ("html_block", "html_inline"):
            return False
        for name in ("href", "src"):
            if name in token.attrs and not is_safe_link(str(token.attrs[name])):
                return False
    return True


def _walk(tokens: Sequence[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def _md_rewrite(text: str, level: int) -> str:
    """Headings below ``level``, raw HTML escaped outside code, an unclosed fence closed."""
    if not _MD_RISKY.search(text):
        return text
    lines = text.split("\n")
    tokens = _MD_PARSER.parse(text)
    deepest = min(level + 2, 6)
    code_rows: set[int] = set()
    headings: dict[int, tuple[int, str]] = {}
    for index, token in enumerate(tokens):
        if token.map is None:
            continue
        start, end = token.map
        if token.type in ("fence", "code_block"):
            code_rows.update(range(start, end))
        elif token.type == "heading_open" and token.level == 0:
            content = " ".join(row.strip() for row in tokens[index + 1].content.split("\n"))
            headings[start] = (end, "#" * min(level + int(token.tag[1]), deepest) + " " + content)
    out: list[str] = []
    row = 0
    while row < len(lines):
        if row in headings:
            end, heading = headings[row]
            out.append(_escape_tags(heading))
            row = end  # a setext heading's text and underline become one line
            continue
        out.append(lines[row] if row in code_rows else _escape_tags(lines[row]))
        row += 1
    result = "\n".join(out)
    last = tokens[-1] if tokens else None
    if last is not None and last.type == "fence" and not _fence_closed(lines, last):
        result += "\n" + last.markup
    return result


# Read left to right: a backslash escape (kept: ``\\<`` is already text, and the backslash of
# ``\\\\<`` escapes only the next backslash), inline code (left alone), an autolink (left alone
# if its link is safe) or the "<" of something tag-like.
_MD_TAG = re.compile(
    r"(?P<escape>\\.)"
    r"|(?P<code>(?P<ticks>`+).*?(?<!`)(?P=ticks)(?!`))"
    r"|(?P<link><(?P<url>[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>)"
    r"|<(?=[A-Za-z/!?])"
)


def _escape_tags(line: str) -> str:
    """Escape raw HTML on a line of Markdown (outside code), so that it shows as text."""
    return _MD_TAG.sub(_escape_tag, line)


def _escape_tag(match: re.Match[str]) -> str:
    if match.group("escape") or match.group("code"):
        return match.group(0)
    if match.group("link") and is_safe_link(match.group("url")):
        return match.group(0)
    return "\\" + match.group(0)


def _fence_closed(lines: list[str], fence: Token) -> bool:
    assert fence.map is not None
    end = fence.map[1]
    if end - 1 <= fence.map[0]:
        return False
    closing = lines[end - 1].strip()
    return closing.startswith(fence.markup[0] * len(fence.markup)) and not closing.strip(
        fence.markup[0]
    )


# --- HTML ---------------------------------------------------------------------------------------

_HTML_PARSER = MarkdownIt("commonmark", {"html": False})
# markdown-it's own check lets ``data:image/...`` through, and images become links here.
_HTML_PARSER.validateLink = is_safe_link  # type: ignore[method-assign]


def escape(text: str) -> str:
    """Text (participant or translated) as HTML that shows it literally, quotes included."""
    return html.escape(text, quote=True)


def html_body(body: str, level: int) -> str:
    """An entry's Markdown body as HTML: no raw HTML, no remote images, headings below ``level``."""
    tokens = _HTML_PARSER.parse(body)
    deepest = min(level + 2, 6)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(level + int(token.tag[1]), deepest)}"
        elif token.type == "inline" and token.children:
            token.children = list(_images_as_links(token.children))
    rendered: str = _HTML_PARSER.renderer.render(tokens, _HTML_PARSER.options, {})
    return rendered


def _images_as_links(children: list[Token]) -> Iterator[Token]:
    """Images become links: the page must open without fetching anything from the network."""
    for child in children:
        if child.type != "image":
            yield child
            continue
        source = str(child.attrs.get("src", ""))
        yield Token("link_open", "a", 1, attrs={"href": source})
        alt = child.children or []
        if alt:
            yield from alt
        else:
            yield Token("text", "", 0, content=source)
        yield Token("link_close", "a", -1)
