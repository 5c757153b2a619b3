from cpec_tracker.records.quotes import find_quote, fold

TEXT = "He called it a “landmark   progress”.\nThe envoy thanked them."


def test_fold_joins_whitespace_and_plain_quotes():
    assert fold("  a “b”\n\t‘c’  ") == "a \"b\" 'c'"


def test_quote_typed_with_plain_quotes_matches_curly_quotes_in_source():
    start, end = find_quote(TEXT, 'a "landmark progress".')
    assert TEXT[start:end] == "a “landmark   progress”."


def test_quote_spanning_a_line_break_matches():
    start, end = find_quote(TEXT, "progress”. The envoy")
    assert TEXT[start:end] == "progress”.\nThe envoy"


def test_absent_or_empty_quote_is_not_found():
    assert find_quote(TEXT, "a landmark achievement") is None
    assert find_quote(TEXT, "   ") is None
