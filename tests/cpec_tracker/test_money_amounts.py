"""Amounts of money in news text: the forms the Pakistani and Chinese press write them in, each
read as a Decimal with its ISO 4217 code and the words it was read from, and the numbers that
are no amount (years, percentages, "Rs" alone, a currency nobody can name)."""

from decimal import Decimal

import pytest

from cpec_tracker.intake.suggestions.money import currency_code, find_amounts

AMOUNTS = [
    # (sentence, the words read, amount, currency)
    ("The ML-1 upgrade will cost $2.89 billion.", "$2.89 billion", "2890000000", "USD"),
    ("It costs $6.8bn in all.", "$6.8bn", "6800000000", "USD"),
    ("A $500m credit line.", "$500m", "500000000", "USD"),
    ("A $1,200,000 grant.", "$1,200,000", "1200000", "USD"),
    ("Exim Bank gave US$ 500 million.", "US$ 500 million", "500000000", "USD"),
    ("Exim Bank gave US$500 million.", "US$500 million", "500000000", "USD"),
    ("It is worth USD 1.2bn.", "USD 1.2bn", "1200000000", "USD"),
    ("It is worth USD1.2 billion.", "USD1.2 billion", "1200000000", "USD"),
    ("A loan of 1.5 billion USD was signed.", "1.5 billion USD", "1500000000", "USD"),
    ("China will give 500 million US dollars.", "500 million US dollars", "500000000", "USD"),
    ("It costs 2 billion dollars.", "2 billion dollars", "2000000000", "USD"),
    ("China pledged 1.5 billion yuan.", "1.5 billion yuan", "1500000000", "CNY"),
    ("A grant of 300 million Chinese yuan.", "300 million Chinese yuan", "300000000", "CNY"),
    ("A grant of 20 million renminbi.", "20 million renminbi", "20000000", "CNY"),
    ("The bank lent RMB 3 billion.", "RMB 3 billion", "3000000000", "CNY"),
    ("The bank lent RMB3bn.", "RMB3bn", "3000000000", "CNY"),
    ("The bank lent CNY 800 million.", "CNY 800 million", "800000000", "CNY"),
    # "¥" in CPEC's news is the yuan.
    ("A ¥2 billion facility.", "¥2 billion", "2000000000", "CNY"),
    ("The project costs Rs 58bn.", "Rs 58bn", "58000000000", "PKR"),
    ("The project costs Rs58 billion.", "Rs58 billion", "58000000000", "PKR"),
    ("The project costs Rs.58 billion.", "Rs.58 billion", "58000000000", "PKR"),
    ("The project costs Rs. 58 billion.", "Rs. 58 billion", "58000000000", "PKR"),
    ("Ecnec approved PKR 1.2 trillion.", "PKR 1.2 trillion", "1200000000000", "PKR"),
    ("The circular debt is Rs2.4tr.", None, None, None),  # "tr" is no scale the press uses
    ("Ecnec approved Rs 1.2tn.", "Rs 1.2tn", "1200000000000", "PKR"),
    ("The scheme costs Rs 3.5 crore.", "Rs 3.5 crore", "35000000", "PKR"),
    ("The scheme costs Rs 12 crores.", "Rs 12 crores", "120000000", "PKR"),
    ("A grant of Rs 50 lakh.", "Rs 50 lakh", "5000000", "PKR"),
    ("A grant of Rs 50 lac.", "Rs 50 lac", "5000000", "PKR"),
    ("A fee of Rs 5,000.", "Rs 5,000", "5000", "PKR"),
    ("A fee of Rs1,20,000.", "Rs1,20,000", "120000", "PKR"),
    ("It costs 40 billion rupees.", "40 billion rupees", "40000000000", "PKR"),
    ("It costs 40 billion Pakistani rupees.", "40 billion Pakistani rupees", "40000000000", "PKR"),
    ("India spent 5 billion Indian rupees.", "5 billion Indian rupees", "5000000000", "INR"),
    ("The EU gave €300m.", "€300m", "300000000", "EUR"),
    ("The EU gave EUR 300 million.", "EUR 300 million", "300000000", "EUR"),
    ("The EU gave 300 million euros.", "300 million euros", "300000000", "EUR"),
    ("The UK gave £1.2bn.", "£1.2bn", "1200000000", "GBP"),
    ("Riyadh deposited 3 billion Saudi riyals.", "3 billion Saudi riyals", "3000000000", "SAR"),
    ("Riyadh deposited SAR 3 billion.", "SAR 3 billion", "3000000000", "SAR"),
    ("Abu Dhabi rolled over AED 2 billion.", "AED 2 billion", "2000000000", "AED"),
    ("A HK$5 billion bond.", "HK$5 billion", "5000000000", "HKD"),
    ("Japan lent 10 billion yen.", "10 billion yen", "10000000000", "JPY"),
    ("The IMF disbursed SDR 894 million.", "SDR 894 million", "894000000", "XDR"),
    ("It raised the cost (Rs 5bn) again.", "Rs 5bn", "5000000000", "PKR"),
    ("Costs rose to $1.2 billion, officials said.", "$1.2 billion", "1200000000", "USD"),
    # Not amounts: no currency, a range, a percentage, a year, a currency nobody names.
    ("The corridor was launched in 2015.", None, None, None),
    ("Work is 2025 percent done.", None, None, None),
    ("Exports rose 60% in 2024.", None, None, None),
    ("Exports rose 60 per cent.", None, None, None),
    ("The rate is Rs 50%.", None, None, None),
    ("Prices in Rs are rising.", None, None, None),
    ("Rs per unit fell.", None, None, None),
    ("By 2025 PKR fell against the dollar.", None, None, None),
    ("The 5th meeting approved 3 items.", None, None, None),
    ("It costs between $1-1.5 billion.", None, None, None),
    ("It costs $1.5-2 billion.", None, None, None),
    ("It costs $1 to 2 billion.", None, None, None),
    ("Bangladesh gave 10 million taka.", None, None, None),
    ("It costs 5 billion Zimbabwe dollars.", None, None, None),
    ("ALL 5 units are running.", None, None, None),
    ("Mrs 5 visited.", None, None, None),
    ("The $ sign is ambiguous.", None, None, None),
    ("A 1,200 MW plant.", None, None, None),
    ("The line is 1,726 km long.", None, None, None),
]


@pytest.mark.parametrize(("sentence", "words", "amount", "currency"), AMOUNTS)
def test_amounts_in_news_text(sentence, words, amount, currency):
    found = find_amounts(sentence)
    if words is None:
        assert found == []
        return
    assert [(a.text, a.value, a.currency) for a in found] == [(words, Decimal(amount), currency)]
    only = found[0]
    assert sentence[only.start : only.end] == words
    assert isinstance(only.value, Decimal)
    assert only.money.currency.code == currency


def test_the_table_covers_many_forms():
    assert len(AMOUNTS) >= 60
    assert sum(1 for row in AMOUNTS if row[1] is None) >= 15


def test_two_amounts_in_one_sentence_each_with_its_currency():
    found = find_amounts("China gave 1.5 billion yuan ($210 million) and Rs 3 crore.")
    assert [(a.text, a.value, a.currency) for a in found] == [
        ("1.5 billion yuan", Decimal("1500000000"), "CNY"),
        ("$210 million", Decimal("210000000"), "USD"),
        ("Rs 3 crore", Decimal("30000000"), "PKR"),
    ]


def test_offsets_index_the_whole_text_when_reading_a_part():
    text = "First. The bank lent $5m."
    (amount,) = find_amounts(text, 7)
    assert text[amount.start : amount.end] == "$5m"


@pytest.mark.parametrize(
    ("written", "code"),
    [("$", "USD"), ("Rs", "PKR"), ("yuan", "CNY"), ("EUR", "EUR"), ("taka", ""), ("XYZ", "")],
)
def test_currency_codes_are_iso_4217_as_py_moneyed_knows_them(written, code):
    assert currency_code(written) == code
