from django.urls import path

from carts.actions import views as actions
from carts.deleted import restoring
from carts.deleted import views as deleted
from carts.export import views as export
from carts.followup import views as follow_up
from carts.listing import views
from carts.products import views as products
from carts.recovery import views as recovery
from carts.runs import views as job_views

app_name = "carts"

urlpatterns = [
    path("", views.open_carts, name="open_carts"),
    path("actions/", actions.cart_action, name="action"),
    path("summary/", views.open_carts_summary, name="summary"),
    path("products/", products.products, name="products"),
    path("deleted/", deleted.recently_deleted, name="recently_deleted"),
    path("export/", export.export_open_carts, name="export"),
    path("deleted/export/", export.export_deleted_carts, name="export_deleted"),
    path("restore/", restoring.restore, name="restore"),
    path("<int:pk>/", views.cart_details, name="details"),
    path("<int:pk>/follow-up/", follow_up.follow_up, name="follow_up"),
    path("jobs/", job_views.job_list, name="jobs"),
    path("recovery/", recovery.recovery, name="recovery"),
    path("recovery/orders/", recovery.recovered_orders, name="recovered_orders"),
    path("runs/<int:pk>/resume/", job_views.resume, name="run_resume"),
    path("runs/<int:pk>/undo/", job_views.undo, name="run_undo"),
]
