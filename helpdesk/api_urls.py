urlpatterns: list = []  # placeholder, filled by the pages/API work
