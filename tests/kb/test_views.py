"""The public help center, the live suggestions on the new-ticket form, the article page's
"This solved my problem" / "I still need help" / votes, and the ticket panels for customers and agents."""

import pytest
from django.urls import reverse

from kb.models import Article, ArticleFeedback, ArticleSuggestion, DeflectionEvent, TicketArticleLink
from tests.factories import (
    ArticleFactory,
    ArticleSuggestionFactory,
    CategoryFactory,
    TicketFactory,
)
from tests.kb.conftest import make_article
from tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db

S = Ticket.Status


def _fresh(article: Article) -> Article:
    return Article.objects.get(pk=article.pk)


# --- public pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("n_articles", [1, 9])
def test_home_lists_articles_by_category_for_anonymous_visitors(client, django_assert_max_num_queries, n_articles):
    heating, washing = CategoryFactory.create(name="Heating"), CategoryFactory.create(name="Appliances")
    for i in range(n_articles):
        ArticleFactory.create(title=f"Radiator tip {i}", category=heating)
    ArticleFactory.create(title="Drum cleaning", category=washing)
    ArticleFactory.create(title="Secret draft", status=Article.Status.DRAFT)
    client.get(reverse("kb:home"))

    with django_assert_max_num_queries(2):  # COUNT for the paginator, one page of articles with categories
        response = client.get(reverse("kb:home"))

    assert response.status_code == 200
    groups = response.context["groups"]
    assert [(name, len(articles)) for name, articles in groups] == [("Appliances", 1), ("Heating", n_articles)]
    body = response.content.decode()
    assert "Secret draft" not in body
    assert f'href="{reverse("kb:article", args=[groups[0][1][0].slug])}">Drum cleaning</a>' in body


def test_article_page_renders_sanitised_markdown_for_anonymous_visitors(client):
    article = ArticleFactory.create(
        title="Bleeding radiators",
        body_markdown="## Steps\n\n1. Turn the **valve**.\n\n<script>alert('x')</script>\n\n"
        "[evil](javascript:alert(1)) [ok](https://example.com)",
    )

    response = client.get(reverse("kb:article", args=[article.slug]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "<h2>Steps</h2>" in body
    assert "<strong>valve</strong>" in body
    assert "<script>alert" not in body
    assert "javascript:" not in body
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">ok</a>' in body
    assert "This solved my problem" in body
    assert "I still need help" in body


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.ARCHIVED])
def test_unpublished_articles_are_404(client, status):
    article = ArticleFactory.create(status=status)

    assert client.get(reverse("kb:article", args=[article.slug])).status_code == 404
    assert client.get(reverse("kb:article", args=["no-such-article"])).status_code == 404


def test_views_are_counted_once_per_visitor_session(client):
    article = ArticleFactory.create()
    url = reverse("kb:article", args=[article.slug])

    client.get(url)
    client.get(url)
    other_visitor = client.__class__()
    other_visitor.get(url)

    assert _fresh(article).view_count == 2


def test_this_solved_my_problem_records_a_deflection_and_no_ticket(client):
    article = ArticleFactory.create()

    response = client.post(reverse("kb:article-solved", args=[article.slug]), {"q": "radiator  cold"}, follow=True)

    assert response.redirect_chain == [(reverse("kb:article-thanks", args=[article.slug]), 302)]
    assert "no ticket was created" in response.content.decode()
    event = DeflectionEvent.objects.get()
    assert (event.article, event.query, event.ticket, event.user) == (article, "radiator cold", None, None)
    assert event.session_key == client.session.session_key
    assert _fresh(article).deflection_count == 1
    assert Ticket.objects.exists() is False


def test_a_signed_in_customer_deflection_records_the_user_once(client, customer):
    article = ArticleFactory.create()
    client.force_login(customer)

    client.post(reverse("kb:article-solved", args=[article.slug]))
    client.post(reverse("kb:article-solved", args=[article.slug]))
    page = client.get(reverse("kb:article", args=[article.slug])).content.decode()

    assert DeflectionEvent.objects.get().user == customer
    assert _fresh(article).deflection_count == 1
    assert "You told us this article solved it" in page


def test_solving_and_voting_need_post(client):
    article = ArticleFactory.create()

    assert client.get(reverse("kb:article-solved", args=[article.slug])).status_code == 405
    assert client.get(reverse("kb:article-feedback", args=[article.slug])).status_code == 405
    assert (DeflectionEvent.objects.exists(), ArticleFeedback.objects.exists()) == (False, False)


def test_i_still_need_help_goes_back_to_the_form_with_the_subject(client):
    article = ArticleFactory.create()

    response = client.get(reverse("kb:article", args=[article.slug]), {"q": "Radiator cold & noisy"})

    assert response.context["still_need_help_url"] == "/tickets/new/?subject=Radiator+cold+%26+noisy"
    assert 'value="Radiator cold &amp; noisy"' in response.content.decode()  # carried into "This solved it"


def test_votes_once_per_session(client):
    article = ArticleFactory.create()
    url = reverse("kb:article-feedback", args=[article.slug])

    first = client.post(url, {"helpful": "no"}, follow=True)
    client.post(url, {"helpful": "yes"})

    assert "Thanks for your feedback!" in first.content.decode()
    assert "Thanks — you rated this article." in first.content.decode()
    fresh = _fresh(article)
    assert (fresh.helpful_count, fresh.not_helpful_count) == (0, 1)
    assert ArticleFeedback.objects.count() == 1


def test_invalid_vote_is_422_and_counts_nothing(client):
    article = ArticleFactory.create()

    response = client.post(reverse("kb:article-feedback", args=[article.slug]), {"helpful": "maybe"})

    assert response.status_code == 422
    assert ArticleFeedback.objects.exists() is False


def test_search_page(client, library):
    response = client.get(reverse("kb:search"), {"q": "boiler pressure"})

    assert response.status_code == 200
    rows = response.context["rows"]
    assert rows[0][0] == library["boiler"]
    assert rows[0][1] == f"/kb/articles/{library['boiler'].slug}/?q=boiler+pressure"


@pytest.mark.parametrize("query", ["", "&|!():*<>'", "x" * 5000, "\x00"])
def test_search_page_survives_bad_input(client, library, query):
    assert client.get(reverse("kb:search"), {"q": query}).status_code == 200


# --- live suggestions on the new-ticket form ----------------------------------------------------


def test_new_ticket_form_asks_for_suggestions_as_the_subject_is_typed(client, customer):
    client.force_login(customer)

    body = client.get(reverse("tickets:new")).content.decode()

    assert f'hx-get="{reverse("kb:suggest")}"' in body
    assert 'hx-trigger="input changed delay:300ms, load"' in body
    assert 'hx-target="#kb-suggestions"' in body
    assert '<div id="kb-suggestions"' in body
    assert "data-kb-draft" in body


def test_suggestions_partial_shows_the_top_three(client, customer, library, django_assert_num_queries):
    client.force_login(customer)

    with django_assert_num_queries(3):  # the search only (spelling, titles, bodies): no session or user lookup
        response = client.get(reverse("kb:suggest"), {"subject": "washing machine"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    body = response.content.decode()
    assert 1 <= body.count('class="kb-suggestion"') <= 3
    assert body.index("Washing machine won&#x27;t drain") < body.index("</li>")  # the washer article first
    assert not body.lstrip().startswith("<!doctype")  # a fragment, not a page
    assert f'href="/kb/articles/{library["washer"].slug}/?q=washing+machine"' in body
    assert response["Vary"].startswith("HX-Request")


@pytest.mark.parametrize("subject", ["", "   ", "!!!"])
def test_suggestions_partial_for_empty_input_is_empty(client, library, subject):
    response = client.get(reverse("kb:suggest"), {"subject": subject})

    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_no_matching_articles_says_so(client, library):
    response = client.get(reverse("kb:suggest"), {"subject": "qqqqqqqq zzzzzzz"})

    assert "No matching help articles" in response.content.decode()


# --- customer's ticket: suggested articles and self-service -------------------------------------


def test_customer_sees_the_suggested_articles_with_a_solved_button(client, customer):
    ticket = TicketFactory.create(customer=customer)
    article = ArticleFactory.create(title="Descaling the kettle")
    ArticleSuggestionFactory.create(ticket=ticket, article=article)
    client.force_login(customer)

    response = client.get(reverse("kb:ticket-suggestions", args=[ticket.pk]))

    body = response.content.decode()
    assert "Descaling the kettle" in body
    assert f'action="{reverse("kb:ticket-solved", args=[ticket.pk])}"' in body
    assert "This article solved it" in body


def test_customer_ticket_page_loads_the_suggestions_panel(client, customer):
    ticket = TicketFactory.create(customer=customer)
    client.force_login(customer)

    body = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()

    assert f'hx-get="{reverse("kb:ticket-suggestions", args=[ticket.pk])}"' in body


def test_this_article_solved_it_resolves_the_ticket_as_self_served(client, customer):
    ticket = TicketFactory.create(customer=customer)
    article = ArticleFactory.create()
    ArticleSuggestionFactory.create(ticket=ticket, article=article)
    client.force_login(customer)

    response = client.post(reverse("kb:ticket-solved", args=[ticket.pk]), {"article": article.pk}, follow=True)

    assert response.redirect_chain == [(reverse("tickets:detail", args=[ticket.pk]), 302)]
    assert f"Ticket #{ticket.number} is marked as resolved." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == S.RESOLVED
    assert TicketEvent.objects.get().data == {"reason": "self-served"}
    assert DeflectionEvent.objects.get().ticket == ticket


def test_self_serve_on_another_customers_ticket_is_404_and_changes_nothing(client, customer, other_customer):
    ticket = TicketFactory.create(customer=other_customer)
    article = ArticleFactory.create()
    ArticleSuggestionFactory.create(ticket=ticket, article=article)
    client.force_login(customer)

    assert client.post(reverse("kb:ticket-solved", args=[ticket.pk]), {"article": article.pk}).status_code == 404
    assert client.get(reverse("kb:ticket-suggestions", args=[ticket.pk])).status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == S.OPEN
    assert DeflectionEvent.objects.exists() is False


@pytest.mark.parametrize("article_id", ["", "abc", "-1", "999999"])
def test_self_serve_with_a_bad_article_is_404(client, customer, article_id):
    ticket = TicketFactory.create(customer=customer)
    client.force_login(customer)

    response = client.post(reverse("kb:ticket-solved", args=[ticket.pk]), {"article": article_id})

    assert response.status_code == 404
    assert TicketEvent.objects.exists() is False


def test_self_serve_with_an_article_that_was_not_suggested_shows_an_error(client, customer):
    ticket = TicketFactory.create(customer=customer)
    article = ArticleFactory.create()
    client.force_login(customer)

    response = client.post(reverse("kb:ticket-solved", args=[ticket.pk]), {"article": article.pk}, follow=True)

    assert "This article was not suggested for this ticket." in response.content.decode()
    assert TicketEvent.objects.exists() is False


# --- agent panel -------------------------------------------------------------------------------


def test_agent_panel_suggests_articles_with_insert_into_reply(client, agent, library):
    ticket = TicketFactory.create(subject="Boiler pressure keeps dropping", description="Radiators cold.")
    client.force_login(agent)

    response = client.get(reverse("kb:agent-suggestions", args=[ticket.pk]))

    assert response.status_code == 200
    rows = response.context["rows"]
    assert rows[0][0] == library["boiler"]
    article, url, insert = rows[0]
    assert url == f"http://testserver/kb/articles/{article.slug}/"
    assert insert == f"{article.title}\n{url}"
    body = response.content.decode()
    assert 'data-kb-insert="Boiler pressure too low' in body
    assert "Insert into reply" in body
    assert f'hx-post="{reverse("kb:agent-link", args=[ticket.pk])}"' in body


def test_agent_ticket_page_includes_the_panel(client, agent):
    ticket = TicketFactory.create()
    client.force_login(agent)

    body = client.get(reverse("agent:ticket-detail", args=[ticket.pk])).content.decode()

    assert f'hx-get="{reverse("kb:agent-suggestions", args=[ticket.pk])}"' in body


@pytest.mark.parametrize("n_links", [1, 4])
def test_agent_panel_query_count_does_not_grow_with_links(client, agent, n_links, django_assert_max_num_queries):
    ticket = TicketFactory.create(subject="Kettle", description="Broken kettle.")
    for i in range(n_links):
        article = make_article(f"Kettle guide {i}")
        TicketArticleLink.objects.create(ticket=ticket, article=article, linked_by=agent)
        ArticleSuggestionFactory.create(ticket=ticket, article=article, rank=i + 1)
    client.force_login(agent)
    client.get(reverse("kb:agent-suggestions", args=[ticket.pk]))

    with django_assert_max_num_queries(8):  # session, user, ticket, search (3), links, customer suggestions
        response = client.get(reverse("kb:agent-suggestions", args=[ticket.pk]))

    assert len(response.context["links"]) == n_links


def test_agent_links_the_article_that_solved_it(client, agent):
    ticket = TicketFactory.create(status=S.IN_PROGRESS)
    article = ArticleFactory.create(title="Kettle guide")
    client.force_login(agent)

    response = client.post(
        reverse("kb:agent-link", args=[ticket.pk]), {"article": article.pk}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert "Linked “Kettle guide” to this ticket." in response.content.decode()
    link = TicketArticleLink.objects.get()
    assert (link.ticket, link.article, link.linked_by) == (ticket, article, agent)


def test_agent_link_without_htmx_redirects_to_the_ticket(client, agent):
    ticket = TicketFactory.create()
    article = ArticleFactory.create()
    client.force_login(agent)

    response = client.post(reverse("kb:agent-link", args=[ticket.pk]), {"article": article.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("agent:ticket-detail", args=[ticket.pk])


def test_customers_cannot_use_the_agent_panel(client, customer):
    ticket = TicketFactory.create(customer=customer)
    article = ArticleFactory.create()
    client.force_login(customer)

    assert client.get(reverse("kb:agent-suggestions", args=[ticket.pk])).status_code == 403
    assert client.post(reverse("kb:agent-link", args=[ticket.pk]), {"article": article.pk}).status_code == 403
    assert TicketArticleLink.objects.exists() is False


def test_anonymous_visitors_are_sent_to_sign_in_for_ticket_panels(client):
    ticket = TicketFactory.create()

    response = client.get(reverse("kb:ticket-suggestions", args=[ticket.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert ArticleSuggestion.objects.exists() is False


@pytest.mark.parametrize("role", ["anonymous", "customer", "agent"])
def test_help_center_link_in_the_navigation(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    body = client.get(reverse("kb:home")).content.decode()

    assert f'<a href="{reverse("kb:home")}" aria-current="page">Help center</a>' in body
