from django.urls import path

from kb.views import public, tickets

app_name = "kb"
urlpatterns = [
    path("", public.kb_home, name="home"),
    path("search/", public.kb_search, name="search"),
    path("suggest/", public.kb_suggest, name="suggest"),
    path("articles/<slug:slug>/", public.article_detail, name="article"),
    path("articles/<slug:slug>/solved/", public.article_solved, name="article-solved"),
    path("articles/<slug:slug>/thanks/", public.article_thanks, name="article-thanks"),
    path("articles/<slug:slug>/feedback/", public.article_feedback, name="article-feedback"),
    path("tickets/<int:pk>/suggestions/", tickets.ticket_suggestions, name="ticket-suggestions"),
    path("tickets/<int:pk>/solved/", tickets.ticket_self_serve_view, name="ticket-solved"),
    path("agent/tickets/<int:pk>/suggestions/", tickets.agent_suggestions, name="agent-suggestions"),
    path("agent/tickets/<int:pk>/link/", tickets.agent_link_article, name="agent-link"),
]
