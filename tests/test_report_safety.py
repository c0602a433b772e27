"""The export carries no participant HTML and no link outside http, https and mailto.

Bug: the Markdown export let raw HTML through when a line played with backslashes and
backticks (``\\<script>``, ``\\`<b>```), and kept ``javascript:`` links and autolinks.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from store import Notebook
from store.report import render, render_html, render_markdown
from store.report.model import (
    ConflictNote,
    GroupText,
    KindGroup,
    Person,
    Report,
    ReportComment,
    ReportDecision,
    ReportEntry,
    Section,
    StanceGroup,
)
from store.report.safety import html_body
from store.text import safe_line, safe_text

PAYLOADS = [
    "<script>alert(1)</script>",
    "\\<script>alert(1)</script>",
    "\\\\<script>alert(1)</script>",
    "\\\\\\<b>x</b>",
    "\\\\\\\\<b>x</b>",
    "`<b>` et <b>gras</b>",
    "\\`<b>` x",
    "``<b>`` `<i>",
    "`a\\`<b>`",
    "<img src=x onerror=alert(1)>",
    "<a\nhref='javascript:alert(1)'>x</a>",
    "<!-- jamais fermé",
    "<div>\nbloc\n</div>",
    "<javascript:alert(1)>",
    "<JaVaScRiPt:alert(1)>",
    "<data:text/html;base64,PHNjcmlwdD4=>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&colon;alert(1))",
    "[x](%6Aavascript:alert(1))",
    "[x](<java\tscript:alert(1)>)",
    "[x](<java\nscript:alert(1)>)",
    "[x]( \x01javascript:alert(1))",
    "[x][1]\n\n[1]: javascript:alert(1)",
    "[x][1]",  # with the definition in another entry (below)
    "[1]: <vbscript:msgbox(1)>",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "![i](data:image/png;base64,AAAA)",
    "![i](javascript:alert(1))",
    "[x](file:///etc/passwd)",
    "# <b>titre</b>\n\ntexte",
    "Titre <b>x</b>\n=====",
    "```\n<b>dans du code</b>",
    "    <b>indenté</b>",
    "- <b>liste</b>\n- [x](javascript:1)",
    "> <b>cité</b> [x](javascript:1)",
    "&lt;script&gt; &#60;script&#62;",
]
ALLOWED_SCHEMES = {"http", "https", "mailto"}
# The tags CommonMark itself writes; anything else came from a participant.
MARKDOWN_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "code", "pre", "a", "img", "ul",
    "ol", "li", "blockquote", "hr", "br",
}  # fmt: skip
PAGE_TAGS = MARKDOWN_TAGS | {
    "html", "head", "meta", "title", "style", "body", "main", "header", "nav", "section",
    "article", "div", "span", "table", "tr", "td", "footer",
}  # fmt: skip


def scheme(url: str) -> str | None:
    """The scheme of a URL as the most lenient reader would find it (written apart from store)."""
    cleaned = re.sub(r"[\x00-\x20\x7f-\x9f]", "", html.unescape(unquote(html.unescape(url))))
    found = re.match(r"([^:/?#]+):", cleaned)
    return found.group(1).lower() if found else None


def walk(tokens: list[Token]) -> list[Token]:
    out = []
    for token in tokens:
        out.append(token)
        out.extend(walk(token.children or []))
    return out


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)


def parsed_html(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    tags.close()
    return tags


def assert_markdown_is_inert(text: str) -> None:
    """As a typical viewer renders it (html on), and as one that checks no link would."""
    lenient = MarkdownIt("commonmark", {"html": True})
    lenient.validateLink = lambda url: True  # type: ignore[method-assign]
    for parser in (MarkdownIt("commonmark", {"html": True}), lenient):
        env: dict[str, Any] = {}
        tokens = walk(parser.parse(text, env))
        assert not [t.content for t in tokens if t.type in ("html_block", "html_inline")]
        links = [str(t.attrs[a]) for t in tokens for a in ("href", "src") if a in t.attrs]
        links += [str(r["href"]) for r in env.get("references", {}).values()]
        assert {scheme(url) for url in links} <= ALLOWED_SCHEMES | {None}, links
        page = parser.render(text)
        assert "<script" not in page.lower()
        tags = parsed_html(page)
        assert set(tags.tags) <= MARKDOWN_TAGS, tags.tags
        assert not [a for a, _v in tags.attrs if a.startswith("on")]


def assert_page_is_inert(page: str) -> None:
    tags = parsed_html(page)
    assert "<script" not in page.lower()
    assert set(tags.tags) <= PAGE_TAGS, tags.tags
    assert not [a for a, _v in tags.attrs if a.startswith("on") or a == "src"]
    hrefs = [v or "" for a, v in tags.attrs if a == "href"]
    assert {scheme(url) for url in hrefs} <= ALLOWED_SCHEMES | {None}, hrefs


def test_hostile_payloads_leave_no_html_and_no_dangerous_link(notebook: Notebook) -> None:
    notebook.add_entry("tool", "Définitions", "[1]: javascript:alert(1)\n[2]: data:text/html,x")
    for payload in PAYLOADS:
        entry = notebook.add_entry("practice", "T " + payload, payload, tags=[payload])
        notebook.add_comment(entry.id, payload)
    assert_markdown_is_inert(render(notebook))
    assert_page_is_inert(render(notebook, fmt="html"))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_payload_alone(payload: str) -> None:
    assert_markdown_is_inert(render_markdown(report_of(payload, payload, payload)))
    assert_page_is_inert(render_html(report_of(payload, payload, payload)))
    assert_page_is_inert(html_body(payload, 4))


def test_safe_formatting_and_links_are_kept() -> None:
    body = "Voir [le site](https://example.org) et <https://x.org>, *gras*, `<b>`, <b>x</b>."
    text = render_markdown(report_of("T", body, "c"))
    assert "[le site](https://example.org) et <https://x.org>, *gras*, `<b>`, \\<b>x" in text


def report_of(title: str, body: str, comment: str, other_body: str = "") -> Report:
    """A report of two entries written by one participant, every text given by the test.

    The texts are made safe as ``build_report`` does: one line for titles and names.
    """
    title, body, comment, other_body = (
        safe_line(title), safe_text(body), safe_text(comment), safe_text(other_body)
    )  # fmt: skip
    person = Person("Nom " + title, "Org " + safe_line(comment), "Rôle " + safe_line(body))

    def entry(number: int, text: str) -> ReportEntry:
        return ReportEntry(
            id=f"01ARZ3NDEKTSV4RRFFQ69G5FA{number}", title=title,
            kind="practice", kind_label="Pratique", status="open", status_label="ouverte",
            author=person, created="1er mai 2026", updated=None, objectives=(1,),
            tags=(title, safe_line(comment)), body=text, deleted=False,
            stances=(StanceGroup("agree", "D'accord", (person,)),),
            comments=(ReportComment("C", person, "2 mai", comment,
                                    (ReportComment("D", person, "3 mai", body),)),),
            comment_count=2,
            conflicts=(ConflictNote("title", "titre", person, "2 mai", safe_line(comment)),),
        )  # fmt: skip

    entries = (entry(1, body), entry(2, other_body))
    # The group's texts, and its decisions and disagreements, carry participant text too.
    notes = entries[0].conflicts
    section = Section(
        "objective-1", "Objectif 1 — " + title, (KindGroup("practice", "P", entries),), (),
        GroupText("retained-1", "Ce que nous retenons", other_body, notes),
    )  # fmt: skip
    decision = ReportDecision(
        entries[0].id, title, True, safe_line(comment), "1er mai 2026", (("agree", 1),),
        "2 mai 2026", person, safe_text(comment), "retenu",
    )  # fmt: skip
    return Report(
        title=title, period=None, state_date=None, participants=(person,),
        selection=(safe_line(comment),), sections=(section,), adopted=entries, entry_count=2,
        comment_count=4, conflict_count=2,
        introduction=GroupText("introduction", "Introduction", body, notes),
        conclusion=GroupText("conclusion", "Conclusion", other_body),
        decisions=(decision,), disagreements=entries,
    )  # fmt: skip


# Text made mostly of what is significant to Markdown and HTML, with the pieces of known tricks.
PIECES = st.sampled_from(
    [
        *"<>\\`[]()!:&#;*_-=~ \n\t/\"'|aJs1.",
        "javascript:",
        "JaVaScRiPt:",
        "data:",
        "vbscript:",
        "<script>",
        "</script>",
        "<b>",
        "<a href=",
        "&#106;",
        "&#x3C;",
        "&lt;",
        "[1]: ",
        "[1]",
        "](",
        "<!--",
        "```",
        "    ",
        "# ",
        "http://x.org",
        "mailto:a@b.c",
        "\x01",
    ]  # fmt: skip
)
TEXTS = st.lists(PIECES, max_size=24).map("".join) | st.text(max_size=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, TEXTS, TEXTS, TEXTS)
def test_no_text_gets_html_or_a_dangerous_link_into_the_export(
    title: str, body: str, comment: str, other: str
) -> None:
    """For any text, the Markdown rendered by a viewer has no participant tag, no script and
    no link outside http, https and mailto; and neither has the HTML export."""
    report = report_of(title, body, comment, other)
    assert_markdown_is_inert(render_markdown(report))
    assert_page_is_inert(render_html(report))
