from django.urls import path

from carts import views

app_name = "carts"

urlpatterns = [
    path("", views.open_carts, name="open_carts"),
]
