from django.urls import path

from experts.views import board, visit

app_name = "experts"
urlpatterns = [
    path("", board.board, name="board"),
    path("visits/<int:pk>/propose/", board.propose, name="propose"),
    path("proposals/<int:pk>/withdraw/", board.withdraw, name="withdraw"),
    path("visits/<int:pk>/take/", board.take_seat, name="take-seat"),
    path("schedule/", visit.schedule, name="schedule"),
    path("visits/<int:pk>/", visit.visit_detail, name="visit"),
    path("visits/<int:pk>/report/", visit.report, name="report"),
    path("visits/<int:pk>/complete/", visit.complete, name="complete"),
]
