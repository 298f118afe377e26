"""The app's URLs plus the bench-only floor view and admin sites (bench.settings' ROOT_URLCONF)."""

from django.urls import path

from bench import admin, floor
from juniperadmin.urls import urlpatterns as app_urlpatterns

urlpatterns = [
    *app_urlpatterns,
    path("bench/floor/", floor.open_carts_floor, name="bench_floor"),
    path("bench/admin/", admin.site.urls),
    path("bench/admin-100/", admin.site_100.urls),
]
