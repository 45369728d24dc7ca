"""The stand-in's Telegram-HTML parser accepts what Telegram accepts and rejects the rest."""

from __future__ import annotations

import pytest

from tests.telegram_standin.html_check import (
    HtmlError,
    ParsedText,
    parse_html,
    strip_formatted,
    utf16_len,
)


@pytest.mark.parametrize(
    ("source", "text", "entities"),
    [
        pytest.param("<b>fett</b>", "fett", [("bold", 0, 4)], id="bold"),
        pytest.param(
            "<strong>a</strong><em>b</em>", "ab", [("bold", 0, 1), ("italic", 1, 1)], id="aliases"
        ),
        pytest.param("<B>x</B>", "x", [("bold", 0, 1)], id="case-insensitive-tags"),
        pytest.param("&lt;&gt;&amp;&quot;", '<>&"', [], id="named-entities"),
        pytest.param("&#228;&#x1F600;", "ä😀", [], id="numeric-entities"),
        pytest.param("a > b", "a > b", [], id="bare-greater-than"),
        pytest.param("😀<i>x</i>", "😀x", [("italic", 2, 1)], id="utf16-offsets"),
        pytest.param("<b>a<i>b</i></b>", "ab", [("bold", 0, 2), ("italic", 1, 1)], id="nested"),
        pytest.param(
            '<a href="https://x.de/?a=1&amp;b=2">l</a>', "l", [("text_link", 0, 1)], id="link"
        ),
        pytest.param(
            "<span class='tg-spoiler'>s</span>", "s", [("spoiler", 0, 1)], id="span-spoiler"
        ),
        pytest.param("<tg-spoiler>s</tg-spoiler>", "s", [("spoiler", 0, 1)], id="tg-spoiler"),
        pytest.param(
            "<blockquote expandable>q</blockquote>",
            "q",
            [("expandable_blockquote", 0, 1)],
            id="expandable",
        ),
        pytest.param(
            '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
            "👍",
            [("custom_emoji", 0, 2)],
            id="tg-emoji",
        ),
        pytest.param("<b></b>x", "x", [], id="empty-entity-dropped"),
        pytest.param("<b>x</>", "x", [("bold", 0, 1)], id="anonymous-end-tag"),
    ],
)
def test_valid_html_yields_telegram_text_and_entities(
    source: str, text: str, entities: list[tuple[str, int, int]]
) -> None:
    parsed = parse_html(source)

    assert parsed.text == text
    assert [(e["type"], e["offset"], e["length"]) for e in parsed.entities] == entities


def test_link_entity_keeps_decoded_href() -> None:
    parsed = parse_html('<a href="https://x.de/?a=1&amp;b=2">l</a>')

    assert parsed.entities[0]["url"] == "https://x.de/?a=1&b=2"


def test_code_language_moves_to_enclosing_pre() -> None:
    parsed = parse_html('<pre><code class="language-python">x = 1</code></pre>')

    assert parsed.entities == [{"type": "pre", "offset": 0, "length": 5, "language": "python"}]


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        pytest.param("<br>", 'Unsupported start tag "br" at byte offset 0', id="br"),
        pytest.param("<p>x</p>", 'Unsupported start tag "p" at byte offset 0', id="p"),
        pytest.param("a < b", 'Unsupported start tag "" at byte offset 2', id="bare-less-than"),
        pytest.param("<b>x", 'Can\'t find end tag corresponding to start tag "b"', id="unclosed"),
        pytest.param("x</b>", "Unexpected end tag at byte offset 1", id="stray-end-tag"),
        pytest.param(
            "<b><i>x</b></i>",
            'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"',
            id="crossed",
        ),
        pytest.param("<b", "Unclosed start tag at byte offset 0", id="cut-start-tag"),
        pytest.param('<a href="x>y</a>', "Unclosed start tag at byte offset 0", id="cut-quote"),
        pytest.param("<span>x</span>", 'Tag "span" must have class "tg-spoiler"', id="plain-span"),
        pytest.param("<a href>x</a>", "Expected equal sign", id="attribute-without-value"),
        pytest.param("A & B", 'Unescaped "&"', id="bare-ampersand"),
        pytest.param("&nbsp;", 'Unescaped "&"', id="unsupported-named-entity"),
        pytest.param("&#0;", 'Unescaped "&"', id="null-character"),
        pytest.param("ä<x>", 'Unsupported start tag "x" at byte offset 2', id="byte-offsets"),
    ],
)
def test_invalid_html_is_rejected_with_telegram_reason(source: str, reason: str) -> None:
    with pytest.raises(HtmlError) as error:
        parse_html(source)

    assert reason in str(error.value)


def test_lenient_mode_keeps_unknown_entities_literally_like_telegram() -> None:
    assert parse_html("A & B &nbsp;", strict=False).text == "A & B &nbsp;"


def test_strip_formatted_trims_whitespace_and_shifts_entities() -> None:
    parsed = strip_formatted(ParsedText("\n  ab \n", [{"type": "bold", "offset": 1, "length": 4}]))

    assert parsed == ParsedText("ab", [{"type": "bold", "offset": 0, "length": 2}])


def test_utf16_len_counts_astral_characters_twice() -> None:
    assert utf16_len("a😀ä") == 4
