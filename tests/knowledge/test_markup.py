"""Telegram HTML helpers: strict validation, visible length, escaping, splitting, sanitising."""

from __future__ import annotations

import random

import pytest

from knowledge.markup import (
    escape,
    find_html_errors,
    sanitize_user_text,
    split_html,
    utf16_length,
    validate_html,
    visible_length,
    visible_text,
)

EMOJI_ID = "5368324170671202286"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("Nur Text, ohne Auszeichnung – mit Umlauten: äöüß.", id="plain"),
        pytest.param("<b>fett</b> <strong>fett</strong> <i>k</i> <em>k</em>", id="bold-italic"),
        pytest.param("<u>u</u> <ins>u</ins> <s>s</s> <strike>s</strike> <del>s</del>", id="u-s"),
        pytest.param("<b>fett <i>und kursiv <u>und mehr</u></i></b>", id="nested-splittable"),
        pytest.param('<a href="https://example.org/x?a=1&amp;b=2">Link</a>', id="link-https"),
        pytest.param('<a href="http://example.org">Link</a>', id="link-http"),
        pytest.param("<a href='tg://user?id=123'>Nutzer</a>", id="link-tg-single-quotes"),
        pytest.param('<a href="mailto:info@example.org">Mail</a>', id="link-mailto"),
        pytest.param('<b><a href="https://example.org">fetter Link</a></b>', id="link-in-bold"),
        pytest.param('<a href="https://example.org"><b>fett</b> im Link</a>', id="bold-in-link"),
        pytest.param("<code>x = 1</code>", id="code"),
        pytest.param("<pre>Zeile 1\nZeile 2</pre>", id="pre"),
        pytest.param('<pre><code class="language-python">print(1)</code></pre>', id="pre-code"),
        pytest.param("<pre><code>print(1)</code></pre>", id="pre-code-no-lang"),
        pytest.param("<blockquote>Zitat</blockquote>", id="blockquote"),
        pytest.param("<blockquote expandable>Lang</blockquote>", id="blockquote-expandable"),
        pytest.param("<blockquote><b>fett</b> <code>c</code></blockquote>", id="in-blockquote"),
        pytest.param("<tg-spoiler>geheim</tg-spoiler>", id="spoiler"),
        pytest.param('<span class="tg-spoiler">geheim</span>', id="span-spoiler"),
        pytest.param(f'<tg-emoji emoji-id="{EMOJI_ID}">👍</tg-emoji>', id="custom-emoji"),
        pytest.param("&lt;b&gt; &amp; &quot;Zitat&quot;", id="named-entities"),
        pytest.param("&#8364; &#x1F600; &#x1f600;", id="numeric-entities"),
        pytest.param("a > b und b >= c", id="raw-greater-than"),
        pytest.param("<B>GROSS</B>", id="upper-case-tag"),
        pytest.param("<b >x</b >", id="spaces-in-tags"),
        pytest.param('He said "hi" and it\'s fine', id="raw-quotes"),
    ],
)
def test_valid_telegram_html_has_no_problems(text: str) -> None:
    assert validate_html(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("<div>x</div>", "unsupported tag <div>", id="unsupported-tag"),
        pytest.param("Zeile<br>Zeile", "unsupported tag <br>", id="br"),
        pytest.param("<p>Absatz</p>", "unsupported tag <p>", id="p"),
        pytest.param("a < b", "'<' at character 3 does not start a tag", id="raw-less-than"),
        pytest.param("x <3", "unsupported tag <3>", id="raw-less-than-digit"),
        pytest.param("AT&T", "bare '&' at character 3", id="bare-ampersand"),
        pytest.param("a & b", "bare '&'", id="bare-ampersand-space"),
        pytest.param("&nbsp;", "unsupported entity &nbsp;", id="nbsp"),
        pytest.param("F&ouml;rderung", "unsupported entity &ouml;", id="named-umlaut"),
        pytest.param("&amp x", "malformed entity '&amp'", id="entity-without-semicolon"),
        pytest.param("&#X41;", "malformed entity", id="upper-case-hex-x"),
        pytest.param("&#xD800;", "is not a valid character", id="surrogate-entity"),
        pytest.param("&#0;", "is not a valid character", id="zero-entity"),
        pytest.param("&#x110000;", "is not a valid character", id="entity-beyond-unicode"),
        pytest.param("<b>offen", "<b> at character 1 is never closed", id="unclosed"),
        pytest.param("zu</b>", "</b> at character 3 has no matching start tag", id="stray-end"),
        pytest.param(
            "<b><i>x</b></i>", "</b> at character 8 does not match the open <i>", id="cross"
        ),
        pytest.param("<b", "never ends", id="tag-never-ends"),
        pytest.param("</>", "malformed end tag", id="empty-end-tag"),
        pytest.param("<b/>", "unsupported tag <b/>", id="self-closing"),
        pytest.param('<b class="x">y</b>', "attribute 'class' is not allowed on <b>", id="attr"),
        pytest.param("<a>Link</a>", "<a> at character 1 needs a non-empty href", id="a-no-href"),
        pytest.param('<a href="">L</a>', "needs a non-empty href", id="a-empty-href"),
        pytest.param('<a href="ftp://x.org">L</a>', "must start with http://", id="a-ftp"),
        pytest.param('<a href="example.org">L</a>', "must start with http://", id="a-relative"),
        pytest.param('<a href="https://x.org/a b">L</a>', "contains whitespace", id="a-space"),
        pytest.param("<a href=https://x.org>L</a>", "malformed attributes", id="a-unquoted"),
        pytest.param('<a href="https://x.org?a=1&b=2">L</a>', "bare '&'", id="a-raw-amp"),
        pytest.param(
            '<a href="https://a.org" href="https://b.org">L</a>', "repeats", id="dup-attr"
        ),
        pytest.param(
            '<a href="https://x.org" title="t">L</a>', "'title' is not allowed", id="title"
        ),
        pytest.param("<span>x</span>", 'needs class="tg-spoiler"', id="span-no-class"),
        pytest.param('<span class="red">x</span>', 'needs class="tg-spoiler"', id="span-class"),
        pytest.param("<tg-emoji>👍</tg-emoji>", "needs a numeric emoji-id", id="emoji-no-id"),
        pytest.param('<tg-emoji emoji-id="abc">👍</tg-emoji>', "numeric emoji-id", id="emoji-id"),
        pytest.param(
            f'<tg-emoji emoji-id="{EMOJI_ID}">ok</tg-emoji>', "one emoji", id="emoji-text"
        ),
        pytest.param(f'<tg-emoji emoji-id="{EMOJI_ID}"></tg-emoji>', "one emoji", id="emoji-empty"),
        pytest.param(
            '<code class="language-py">x</code>', "only allowed on <code> inside <pre>", id="lang"
        ),
        pytest.param('<pre><code class="python">x</code></pre>', "language-python", id="lang-form"),
        pytest.param("<pre>a<code>b</code></pre>", "exactly one <code>", id="pre-text-and-code"),
        pytest.param("<pre><code>a</code><code>b</code></pre>", "exactly one <code>", id="pre-2x"),
        pytest.param(
            "<b><code>x</code></b>", "<code> at character 4 cannot be inside <b>", id="code-b"
        ),
        pytest.param(
            "<code><b>x</b></code>", "inside <code>, which cannot contain", id="b-in-code"
        ),
        pytest.param("<pre><i>x</i></pre>", "inside <pre>, which cannot contain", id="i-in-pre"),
        pytest.param(
            '<a href="https://x.org"><pre>x</pre></a>', "cannot be inside <a>", id="pre-in-a"
        ),
        pytest.param(
            '<a href="https://a.org"><a href="https://b.org">x</a></a>',
            "<a> at character 25 cannot be inside <a>",
            id="a-in-a",
        ),
        pytest.param(
            f'<a href="https://a.org"><tg-emoji emoji-id="{EMOJI_ID}">👍</tg-emoji></a>',
            "<tg-emoji> at character 25 cannot be inside <a>",
            id="emoji-in-a",
        ),
        pytest.param(
            "<blockquote><blockquote>x</blockquote></blockquote>",
            "cannot be nested inside <blockquote>",
            id="blockquote-in-blockquote",
        ),
        pytest.param("<b><blockquote>x</blockquote></b>", "cannot be nested", id="blockquote-in-b"),
        pytest.param(
            "<blockquote expandable=1>x</blockquote>", "takes no value", id="expandable=1"
        ),
    ],
)
def test_invalid_telegram_html_is_reported(text: str, expected: str) -> None:
    problems = validate_html(text)

    assert any(expected in problem for problem in problems), problems


def test_errors_carry_the_offset_of_the_offending_character() -> None:
    errors = find_html_errors("ok\n<b>fett</b> & <div>")

    assert [(error.offset, error.message.split(" ")[0]) for error in errors] == [
        (15, "bare"),
        (17, "unsupported"),
    ]


def test_every_problem_is_reported_not_only_the_first() -> None:
    assert len(validate_html("<div> & &nbsp; <b>")) == 4


@pytest.mark.parametrize(
    ("html", "text", "length"),
    [
        pytest.param("<b>Hallo</b> Welt", "Hallo Welt", 10, id="tags-stripped"),
        pytest.param("&lt;b&gt; &amp; &quot;", '<b> & "', 7, id="entities-decoded"),
        pytest.param("&#8364;&#x1F600;", "€😀", 3, id="numeric-entities"),
        pytest.param("Förderung äöüß", "Förderung äöüß", 14, id="umlauts-count-once"),
        pytest.param("👍🏽", "👍🏽", 4, id="astral-counts-twice"),
        pytest.param("🇩🇪", "🇩🇪", 4, id="flag"),
        pytest.param('<a href="https://x.org/&amp;">L</a>', "L", 1, id="href-not-visible"),
        pytest.param("e\u0301", "e\u0301", 2, id="combining-mark"),
    ],
)
def test_visible_text_and_length_count_like_telegram(html: str, text: str, length: int) -> None:
    assert visible_text(html) == text
    assert visible_length(html) == length


def test_utf16_length_counts_surrogate_pairs() -> None:
    assert utf16_length("a😀b") == 4


@pytest.mark.parametrize(
    ("text", "quote", "expected"),
    [
        pytest.param("<b> & </b>", False, "&lt;b&gt; &amp; &lt;/b&gt;", id="tags-and-amp"),
        pytest.param('Sie sagte "ja"', False, 'Sie sagte "ja"', id="quotes-kept-in-text"),
        pytest.param(
            "a \"b\" 'c'", True, "a &quot;b&quot; &#x27;c&#x27;", id="quote-for-attributes"
        ),
    ],
)
def test_escape(text: str, quote: bool, expected: str) -> None:
    assert escape(text, quote=quote) == expected


@pytest.mark.parametrize("seed", range(20))
def test_escaped_text_is_valid_and_shows_the_original(seed: int) -> None:
    rng = random.Random(seed)
    text = "".join(rng.choice("<>&;\"'#x1a äß😀\n&amp;<b>") for _ in range(60))

    assert validate_html(escape(text)) == []
    assert visible_text(escape(text)) == text
    assert validate_html(escape(text, quote=True)) == []


@pytest.mark.parametrize(
    ("text", "max_len", "expected"),
    [
        pytest.param(
            "Hallo <b>Welt</b> & Co", 500, "Hallo &lt;b&gt;Welt&lt;/b&gt; &amp; Co", id="html"
        ),
        pytest.param("a\x00b\x07c\x1bd", 500, "abcd", id="control-characters"),
        pytest.param("a\tb  c\u00a0d", 500, "a b c d", id="whitespace-collapsed"),
        pytest.param("  Zeile 1  \r\n\tZeile 2 ", 500, "Zeile 1\nZeile 2", id="lines-trimmed"),
        pytest.param("A\n\n\n\n\nB", 500, "A\n\nB", id="blank-lines-collapsed"),
        pytest.param("ab\u202ecd\u2066e", 500, "abcde", id="bidi-overrides"),
        pytest.param("x" * 20, 10, "x" * 9 + "…", id="truncated"),
        pytest.param("Wort " * 4, 6, "Wort…", id="truncated-no-trailing-space"),
        pytest.param("<" * 20, 5, "&lt;" * 4 + "…", id="truncated-before-escaping"),
        pytest.param("x" * 10, 10, "x" * 10, id="exactly-max-len"),
        pytest.param(" \n\t ", 500, "", id="only-whitespace"),
        pytest.param("👍🏽 ok", 500, "👍🏽 ok", id="emoji-kept"),
    ],
)
def test_sanitize_user_text(text: str, max_len: int, expected: str) -> None:
    assert sanitize_user_text(text, max_len) == expected


@pytest.mark.parametrize("seed", range(30))
def test_sanitized_text_is_always_valid_html(seed: int) -> None:
    rng = random.Random(seed)
    text = "".join(
        chr(rng.choice([rng.randrange(0, 0x80), rng.randrange(0x80, 0x2FFFF)])) for _ in range(80)
    )
    text = "".join(c for c in text if not 0xD800 <= ord(c) <= 0xDFFF)

    result = sanitize_user_text(text, 50)

    assert validate_html(result) == []
    assert len(visible_text(result)) <= 50


def test_sanitize_rejects_a_non_positive_limit() -> None:
    with pytest.raises(ValueError, match="max_len"):
        sanitize_user_text("x", 0)


# --- split_html ----------------------------------------------------------------------------

WORDS = ["Förderung", "OZG", "Kommune", "5 %", "digital@bw", "Straße", "e\u0301te", "x" * 37]
WORDS += ["&amp;", "&lt;Tag&gt;", "&#8364;", "&quot;", "😀", "👍🏽", "🇩🇪", "👨\u200d👩\u200d👧"]
SEPARATORS = [" ", " ", " ", " ", "\n", "\n\n", ". ", "! ", ", ", "… "]
SPLITTABLE = ["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "tg-spoiler"]
SPLITTABLE += ['span class="tg-spoiler"']
LINKS = ["https://example.org/a?b=1&amp;c=2", "tg://user?id=1", "mailto:x@example.org"]
EMOJI = ["👍", "👍🏽", "🇩🇪", "❤️", "👨\u200d👩\u200d👧"]


def _text(rng: random.Random, words: int) -> str:
    return "".join(rng.choice(WORDS) + rng.choice(SEPARATORS) for _ in range(words))


def _inline(rng: random.Random, depth: int, in_link: bool = False) -> str:
    roll = rng.random()
    if depth >= 3 or roll < 0.4:
        return _text(rng, rng.randint(1, 10))
    body = "".join(_inline(rng, depth + 1, in_link or roll < 0.8) for _ in range(rng.randint(1, 3)))
    if roll < 0.7:
        tag = rng.choice(SPLITTABLE)
        return f"<{tag}>{body}</{tag.split()[0]}>"
    if roll < 0.8 and not in_link:
        return f'<a href="{rng.choice(LINKS)}">{body}</a>'
    if roll < 0.9 and not in_link:
        return f'<tg-emoji emoji-id="{EMOJI_ID}">{rng.choice(EMOJI)}</tg-emoji>'
    return _text(rng, 3)


def _block(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.7:
        return "".join(_inline(rng, 0) for _ in range(rng.randint(1, 4)))
    if roll < 0.8:
        return f"<code>{_text(rng, rng.randint(1, 20))}</code>"
    if roll < 0.9:
        code = _text(rng, rng.randint(1, 30))
        return rng.choice(
            [f"<pre>{code}</pre>", f'<pre><code class="language-py">{code}</code></pre>']
        )
    return f"<blockquote{rng.choice(['', ' expandable'])}>{_inline(rng, 1)}</blockquote>"


def random_message(seed: int) -> str:
    """A valid Telegram HTML message with every kind of tag, entity and separator."""
    rng = random.Random(seed)
    blocks = [_block(rng) for _ in range(rng.randint(1, 14))]
    return "".join(block + rng.choice(["\n\n", "\n", " ", ""]) for block in blocks)


def assert_valid_split(html: str, limit: int) -> list[str]:
    """Every part is valid and within the limit; together they show everything but cut spaces."""
    parts = split_html(html, limit)
    if visible_length(html) <= limit:
        assert parts == [html]
        return parts
    original, position = visible_text(html), 0
    for part in parts:
        assert validate_html(part) == [], part
        assert visible_length(part) <= limit
        shown = visible_text(part)
        assert shown
        assert shown == shown.strip()
        found = original.find(shown, position)
        assert found >= 0, (shown, position)
        assert original[position:found].strip() == "", (shown, position)
        position = found + len(shown)
    assert original[position:].strip() == ""
    return parts


@pytest.mark.parametrize("seed", range(150))
def test_split_parts_are_valid_bounded_and_lose_only_whitespace(seed: int) -> None:
    html = random_message(seed)
    assert validate_html(html) == []  # the generator itself must be right

    for limit in (24, 80, 400):
        assert_valid_split(html, limit)


def test_message_that_fits_is_returned_unchanged() -> None:
    html = "  <b>kurz</b>\n\n"

    assert split_html(html, 10) == [html]


def test_split_prefers_paragraph_breaks() -> None:
    html = "Erster Satz. Noch einer.\nZeile\n\nZweiter Absatz mit Text."

    assert split_html(html, 40) == ["Erster Satz. Noch einer.\nZeile", "Zweiter Absatz mit Text."]


def test_split_prefers_line_breaks_over_sentence_ends() -> None:
    html = "Eins. Zwei\nDrei vier fünf sechs"

    assert split_html(html, 15) == ["Eins. Zwei", "Drei vier fünf", "sechs"]


def test_split_prefers_sentence_ends_over_spaces() -> None:
    html = "Das ist ein Satz. Und noch ein Satz danach"

    assert split_html(html, 30)[0] == "Das ist ein Satz."


def test_split_ignores_a_preferred_break_that_leaves_a_tiny_part() -> None:
    html = "Kurz.\n\n" + "lang " * 20

    assert split_html(html, 60)[0].startswith("Kurz.\n\nlang lang")


def test_split_cuts_long_words_hard() -> None:
    parts = split_html("x" * 100, 30)

    assert parts == ["x" * 30, "x" * 30, "x" * 30, "x" * 10]


def test_split_closes_and_reopens_tags_at_a_cut() -> None:
    html = '<b>fett <a href="https://x.org/?a=1&amp;b=2">ein langer Link hier</a> Ende</b>'

    parts = assert_valid_split(html, 20)

    assert parts == [
        '<b>fett <a href="https://x.org/?a=1&amp;b=2">ein langer Link</a></b>',
        '<b><a href="https://x.org/?a=1&amp;b=2">hier</a> Ende</b>',
    ]


def test_split_keeps_the_language_of_a_code_block() -> None:
    html = '<pre><code class="language-python">a = 1\nb = 2\nc = 3</code></pre>'

    parts = assert_valid_split(html, 12)

    assert all(part.startswith('<pre><code class="language-python">') for part in parts)


def test_split_never_cuts_inside_an_entity() -> None:
    parts = assert_valid_split("&amp;" * 50, 7)

    assert [visible_text(part) for part in parts] == ["&" * 7] * 7 + ["&"]


def test_split_counts_utf16_units() -> None:
    parts = assert_valid_split("😀" * 10, 5)

    assert [visible_text(part) for part in parts] == ["😀😀"] * 5


def test_split_never_cuts_a_custom_emoji_or_a_joined_emoji() -> None:
    family = "👨\u200d👩\u200d👧"
    html = f'ab<tg-emoji emoji-id="{EMOJI_ID}">{family}</tg-emoji>{family}{family}'

    parts = assert_valid_split(html, 9)

    assert [visible_text(part) for part in parts] == ["ab", family, family, family]


def test_split_rejects_invalid_html() -> None:
    with pytest.raises(ValueError, match="unsupported tag <div>"):
        split_html("<div>x</div>", 10)


def test_split_keeps_flags_whole() -> None:
    parts = assert_valid_split("🇩🇪" * 5, 6)

    assert [visible_text(part) for part in parts] == ["🇩🇪"] * 5
