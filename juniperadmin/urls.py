from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from juniperadmin import views
from shop import urls as shop_urls

shop_login = path(
    "login/",
    views.SignIn.as_view(template_name="shop/login.html", next_page="shop:catalog"),
    name="login",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("no-access/", views.no_access, name="no_access"),
    path("carts/", include("carts.urls")),
    # The store's log-in page is the project's SignIn, like the staff one, under the shop's
    # names: the shop app imports nothing from the project.
    path("shop/", include(([*shop_urls.urlpatterns, shop_login], shop_urls.app_name))),
    path("accounts/login/", views.SignIn.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]

# Error pages that know who is asking, so each offers a way on that works for them.
handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
