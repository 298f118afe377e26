"""The task a worker runs for a job (Django's Tasks API; on Django 5.2 through the django-tasks
backport, stored by django-tasks-db in the app's own database). The run's status lives in its
record (CartRun) alone: the task returns nothing, so its result row says only that it ran."""

from django_tasks import task

from carts.runs import jobs


@task()
def run_cart_job(job_id: int) -> None:
    """Work through cart run `job_id` chunk by chunk (see carts.runs.jobs)."""
    jobs.run(job_id)
