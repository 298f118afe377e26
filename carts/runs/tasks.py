"""The task a worker runs for a big cart action (Django's Tasks API; on Django 5.2 through the
django-tasks backport, stored by django-tasks-db in the app's own database)."""

from django_tasks import task

from carts.runs import jobs


@task()
def run_cart_job(job_id: int) -> str:
    """Work through cart job `job_id` chunk by chunk (see carts.runs.jobs); returns its status."""
    return jobs.run(job_id)
