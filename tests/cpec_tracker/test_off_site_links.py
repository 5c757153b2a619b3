"""Links the site writes from a request's path (language switcher, hreflang alternates,
canonical, og:url) and the login's `next` never lead off the site, however the path is made."""

import re
from urllib.parse import unquote

import pytest
from django.urls import reverse

from cpec_tracker.web.addresses import page_path, path_in_language

pytestmark = pytest.mark.django_db

# Crafted paths, as sent (`curl --path-as-is`), and the home page their links must lead to.
CRAFTED_PATHS = {
    "//evil.example/": "/",
    "/%5Cevil.example/": "/",
    "/ur//evil.example/": "/ur/",
    "/ur/%5Cevil.example/": "/ur/",
    "/zh-hans/%2F%2Fevil.example/": "/zh-hans/",
    "/zh-hans/%09/evil.example/": "/zh-hans/",
}
HOME_IN_EACH_LANGUAGE = {"en": "/", "ur": "/ur/", "zh-hans": "/zh-hans/"}
# An address in an attribute that leaves the site: scheme-relative, or with a backslash
# (which browsers read as a slash), or absolute on another host.
LINK = re.compile(r'(?:href|content|src|action)="([^"]*)"')


def get_as_sent(client, path):
    """GET `path` as a client sends it on the wire. Django's test client reads a path starting
    with // as a host (urlparse), so the server's decoded path is given as it would see it."""
    return client.get(path, PATH_INFO=unquote(path))


def leaves_the_site(link):
    link = re.sub(r"[\t\n\r]", "", link)
    return "evil.example" in link and not re.match(r"(?:http://testserver)?/(?![/\\])", link)


@pytest.mark.parametrize("path", CRAFTED_PATHS)
def test_a_crafted_path_is_a_404_whose_links_all_stay_on_the_site(client, path):
    response = get_as_sent(client, path)
    assert response.status_code == 404
    links = LINK.findall(response.content.decode())
    assert links
    assert [link for link in links if leaves_the_site(link)] == []


@pytest.mark.parametrize("path, home", CRAFTED_PATHS.items())
def test_a_crafted_path_links_to_the_home_page_in_each_language(client, path, home):
    text = get_as_sent(client, path).content.decode()
    assert f'<link rel="canonical" href="http://testserver{home}">' in text
    assert f'<meta property="og:url" content="http://testserver{home}">' in text
    for code, language_home in HOME_IN_EACH_LANGUAGE.items():
        assert f'<a href="{language_home}" hreflang="{code}"' in text
        assert f'hreflang="{code}" href="http://testserver{language_home}"' in text


def test_an_ordinary_path_keeps_its_links_in_each_language():
    assert page_path("/ur/meetings/x/") == "/ur/meetings/x/"
    assert page_path("/ur") == "/ur"
    assert page_path("/meetings//x/") == "/meetings//x/"
    assert path_in_language("/ur/meetings/x/", "zh-hans") == "/zh-hans/meetings/x/"
    assert path_in_language("/zh-hans", "en") == "/"
    assert path_in_language("/meetings/x/", "ur") == "/ur/meetings/x/"


def log_in(client, next_url):
    return client.post(
        f"{reverse('admin:login')}?next={next_url}",
        {"username": "editor", "password": "a-long-test-password", "next": next_url},
    )


@pytest.mark.parametrize(
    "next_url", ["/ur//evil.example/", "/ur/\\evil.example/", "/zh-hans///evil.example/"]
)
def test_login_does_not_follow_a_next_that_a_page_would_link_off_the_site(client, editor, next_url):
    response = log_in(client, next_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_login_with_an_unsafe_next_lands_on_the_admin_index(client, editor):
    response = log_in(client, "https://evil.example/")
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


def test_login_follows_a_next_on_the_site(client, editor):
    changelist = reverse("admin:meetings_meeting_changelist")
    assert log_in(client, changelist)["Location"] == changelist
