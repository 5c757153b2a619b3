def test_home_page_shows_name_and_published_counts(client, seeded, make):
    make.make_meeting(publication_status="draft")
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "CPEC Tracker" in text
    assert "<strong>4</strong> meetings" in text
    assert "<strong>5</strong> officials" in text
    assert "<strong>3</strong> projects" in text


# The count of financing commitments (a link to their list) is the seventh query.
def test_home_page_queries_are_bounded(
    client, seeded, django_assert_max_num_queries, no_page_cache
):
    with django_assert_max_num_queries(7):
        assert client.get("/").status_code == 200
