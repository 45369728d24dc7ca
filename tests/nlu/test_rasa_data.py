"""Reading Rasa NLU YAML: inline entity annotations, synonyms, lookups and regexes."""

from __future__ import annotations

import pytest

from nlu.rasa_data import Annotation, Example, NluData, annotate, merge_document, parse_example


@pytest.mark.parametrize(
    ("line", "text", "annotation"),
    [
        pytest.param(
            "Was ist [BundID](topic)?",
            "Was ist BundID?",
            Annotation("topic", "BundID", 8, 14, "BundID"),
            id="parentheses",
        ),
        pytest.param(
            "Was ist [DZK](programme:digitale_zukunftskommune)?",
            "Was ist DZK?",
            Annotation("programme", "digitale_zukunftskommune", 8, 11, "DZK"),
            id="parentheses-with-value",
        ),
        pytest.param(
            'Im [dritten Baustein]{"entity": "baustein", "value": "3"} geht es',
            "Im dritten Baustein geht es",
            Annotation("baustein", "3", 3, 19, "dritten Baustein"),
            id="json",
        ),
    ],
)
def test_annotations_are_stripped_with_spans_in_the_plain_text(
    line: str, text: str, annotation: Annotation
) -> None:
    """The example text is what a user would type; the span points into it."""
    example = parse_example(line, "ask_knowledge")
    assert example == Example(text, "ask_knowledge", (annotation,))
    assert text[annotation.start : annotation.end] == annotation.text


def test_annotate_renders_the_inverse_of_parse() -> None:
    """Generated files can carry annotations that read back identically."""
    line = 'Was ist [DZK]{"entity": "programme", "value": "dzk"} und [OZG](topic)?'
    example = parse_example(line, "ask_knowledge")
    assert parse_example(annotate(example), "ask_knowledge") == example


def test_document_items_are_sorted_into_examples_synonyms_lookups_and_regexes() -> None:
    """Each kind of item lands in its own place; synonym keys are lower-cased."""
    data = NluData()
    merge_document(
        data,
        {
            "nlu": [
                {"intent": "greet", "examples": "- Hallo\n- Moin\n\n"},
                {"synonym": "bundid", "examples": "- Bund ID\n- BundID"},
                {"lookup": "topic", "examples": "- OZG"},
                {"regex": "baustein", "examples": "- \\bBaustein [1-5]\\b"},
            ]
        },
    )
    assert [e.text for e in data.examples] == ["Hallo", "Moin"]
    assert data.synonyms == {"bund id": "bundid", "bundid": "bundid"}
    assert data.lookups == {"topic": ["OZG"]}
    assert data.regexes == {"baustein": ["\\bBaustein [1-5]\\b"]}
