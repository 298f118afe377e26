from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "JuniperAdmin store set-up"
admin.site.site_title = "JuniperAdmin"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="carts:open_carts", permanent=False)),
    path("carts/", include("carts.urls")),
    path("shop/", include("shop.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
