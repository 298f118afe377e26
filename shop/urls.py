from django.urls import path

from shop import views

app_name = "shop"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    # login/ is the project's SignIn page (juniperadmin/urls.py).
    path("cart/", views.cart, name="cart"),
    # The signed link in a recovery e-mail (carts.mail.link).
    path("cart/from-email/<str:token>/", views.from_email, name="from_email"),
    path("cart/add/", views.add_to_cart, name="add"),
    path("cart/lines/<int:line_id>/", views.change_line, name="change_line"),
    path("cart/lines/<int:line_id>/remove/", views.remove_line, name="remove_line"),
    path("cart/submit/", views.submit, name="submit"),
    path("orders/", views.orders, name="orders"),
]
