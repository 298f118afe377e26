from django.urls import path

from carts import actions, views

app_name = "carts"

urlpatterns = [
    path("", views.open_carts, name="open_carts"),
    path("actions/", actions.cart_action, name="action"),
    path("summary/", views.open_carts_summary, name="summary"),
    path("deleted/", views.recently_deleted, name="recently_deleted"),
    path("restore/", views.restore, name="restore"),
    path("<int:pk>/", views.cart_details, name="details"),
]
