app_name = "agent"
urlpatterns: list = []  # placeholder, filled by the pages/API work
