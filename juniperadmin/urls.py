from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from juniperadmin import views

admin.site.site_header = "JuniperAdmin store set-up"
admin.site.site_title = "JuniperAdmin"

urlpatterns = [
    path("", views.home, name="home"),
    path("carts/", include("carts.urls")),
    path("shop/", include("shop.urls")),
    path("accounts/login/", views.SignIn.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]

# Error pages that know who is asking, so each offers a way on that works for them.
handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
