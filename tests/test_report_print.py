"""The synthesis printed to PDF by a real browser (headless Chromium): its print stylesheet.

The PDF is read here with zlib alone: Chromium (Skia) writes each page's text as glyph codes
in compressed content streams, and each font's ToUnicode map gives their characters back.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from pathlib import Path

from chromium import needs_chromium, run_chromium

from store import Notebook
from store.demo import build_demo
from store.report import render

LINK = "https://www.caf.fr/"
# Printed as if "background graphics" were ticked in the print dialog: the stylesheet must
# still print no background.
WITH_BACKGROUNDS = "* { print-color-adjust: exact; -webkit-print-color-adjust: exact; }"


@needs_chromium
def test_the_synthesis_prints_to_pdf_cleanly(tmp_path: Path) -> None:
    with Notebook(build_demo(tmp_path / "demo")) as notebook:
        notebook.add_entry(
            "research", "Le site de la branche Famille", f"Voir [le site de la CNAF]({LINK}).",
            objectives=[2],
        )  # fmt: skip
        objectives = [f"Objectif {o.number} — {o.title}" for o in notebook.info.objectives]
        page = render(notebook, fmt="html")
    html = tmp_path / "synthese.html"
    html.write_text(page.replace("</style>", WITH_BACKGROUNDS + "\n</style>"), encoding="utf-8")
    pdf = tmp_path / "synthese.pdf"
    printed = run_chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())
    assert pdf.is_file(), printed.stderr
    pages = pdf_pages(pdf.read_bytes())
    assert len(pages) > 1
    texts = [plain(page.text) for page in pages]
    # Each page is numbered (the number is drawn first), out of how many there are.
    numbers = [re.match(rf"(\d+) / {len(pages)} ", text) for text in texts]
    assert sorted(int(n.group(1)) for n in numbers if n) == list(range(1, len(pages) + 1))
    for objective in map(plain, objectives):
        # Each objective begins a page.
        assert any(re.match(rf"\d+ / \d+ {re.escape(objective)}", text) for text in texts), (
            objective
        )
    assert f"le site de la CNAF ({LINK})" in " ".join(texts)  # the link's target, written out
    # No background, even with the print dialog's "background graphics": white at most.
    assert {colour for page in pages for colour in page.fills} <= {(1.0, 1.0, 1.0)}


class PdfPage:
    """One page of a PDF: its text, and the colours of the areas it fills."""

    def __init__(self, text: str, fills: set[tuple[float, ...]]) -> None:
        self.text = text
        self.fills = fills


def plain(text: str) -> str:
    """Text compared as a reader sees it: ligatures (ﬁ) and no-break spaces as plain letters
    and spaces, one space between words."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def pdf_pages(data: bytes) -> list[PdfPage]:
    objects = {
        int(found.group(1)): found.group(2)
        for found in re.finditer(rb"(\d+) 0 obj\n(.*?)\nendobj", data, re.S)
    }
    return [
        _page(objects, body) for body in objects.values() if re.search(rb"/Type /Page\b(?!s)", body)
    ]


def _page(objects: dict[int, bytes], page: bytes) -> PdfPage:
    fonts = re.search(rb"/Font <<(.*?)>>", page, re.S)
    maps = {
        name: _unicode_map(objects, objects[int(number)])
        for name, number in re.findall(rb"/(\w+) (\d+) 0 R", fonts.group(1) if fonts else b"")
    }
    contents = re.search(rb"/Contents (\[.*?\]|\d+ 0 R)", page, re.S)
    assert contents, page
    content = b"".join(
        _stream(objects[int(number)]) for number in re.findall(rb"(\d+) 0 R", contents.group(1))
    )
    texts = []
    for block in re.findall(rb"\bBT\b(.*?)\bET\b", content, re.S):
        font: dict[int, str] = {}
        characters = []
        for op in re.finditer(rb"/(\w+) [\d.]+ Tf|<([0-9A-Fa-f]*)> Tj|\[(.*?)\] TJ", block, re.S):
            if op.group(1):
                font = maps.get(op.group(1), {})
                continue
            strings = [op.group(2)] if op.group(2) is not None else re.findall(
                rb"<([0-9A-Fa-f]*)>", op.group(3)
            )  # fmt: skip
            for codes in strings:
                characters += [
                    font.get(int(codes[i : i + 4], 16), "\ufffd") for i in range(0, len(codes), 4)
                ]
        texts.append("".join(characters))
    return PdfPage(" ".join(texts), _fills(content))


def _fills(content: bytes) -> set[tuple[float, ...]]:
    """The colours of the filled rectangles larger than a border line (the backgrounds)."""
    colour: tuple[float, ...] = (0.0, 0.0, 0.0)
    fills = set()
    number = rb"(-?[\d.]+)"
    for op in re.finditer(rb" ".join([number] * 3) + rb" rg|" + rb" ".join([number] * 4)
                          + rb" re\s+f\b", content):  # fmt: skip
        if op.group(1) is not None:
            colour = tuple(float(value) for value in op.group(1, 2, 3))
        elif float(op.group(6)) >= 20 and float(op.group(7)) >= 20:
            fills.add(colour)
    return fills


def _unicode_map(objects: dict[int, bytes], font: bytes) -> dict[int, str]:
    """A font's ToUnicode map: glyph code → the characters it shows."""
    reference = re.search(rb"/ToUnicode (\d+) 0 R", font)
    if reference is None:
        return {}
    cmap = _stream(objects[int(reference.group(1))])
    table = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        pattern = rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>"
        for first, last, text in re.findall(pattern, block):
            start = int(text, 16)
            for offset, code in enumerate(range(int(first, 16), int(last, 16) + 1)):
                table[code] = chr(start + offset)
    return table


def _stream(body: bytes) -> bytes:
    found = re.search(rb">>\s*stream\r?\n(.*)\r?\nendstream", body, re.S)
    if found is None:
        return b""
    raw = found.group(1)
    return zlib.decompress(raw) if b"/FlateDecode" in body[: found.start()] else raw
