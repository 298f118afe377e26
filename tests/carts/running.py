"""Staff runs in random interleavings, for tests/carts/test_concurrency.py: jobs started, worked
by one worker or two at once, rolled back and resumed (each alone, and both clicked at once),
purges, and a worker whose connection is killed mid-chunk, while it holds the run's lock. And
what must hold once they are all over."""

import random
import re
import threading
import time
from collections.abc import Callable
from contextlib import suppress

from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from carts.actions.declarations import declared
from carts.models import Cart, CartEvent, CartRun
from carts.runs import jobs, undoing
from carts.runs.starting import start, start_purge
from carts.services import CartActionRefused

Status = CartRun.Status
GOING = (Status.QUEUED, Status.RUNNING)
# What a run step does, as often as it is named.
KINDS = [*["job"] * 3, *["work", "roll back"] * 4, *["resume"] * 2, *["both", "kill"] * 2, "purge"]
# A cart stands no more for an undo once someone changed its status, or its level, since.
STATUS_CHANGES = ["deleted", "restored", "submitted", "purged"]


class Runs:
    """The job runs the threads started."""

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.lock = threading.Lock()

    def add(self, run: CartRun | None) -> None:
        if run is not None and run.is_job:
            with self.lock:
                self.ids.append(run.pk)

    def pick(self, rng: random.Random, *statuses: str) -> CartRun | None:
        """One of the runs, as it is now, whose status is one of `statuses`."""
        with self.lock:
            ids = list(self.ids)
        chosen = list(CartRun.objects.filter(pk__in=ids, status__in=statuses).order_by("pk"))
        return rng.choice(chosen) if chosen else None


def alongside(*steps: Callable[[], object]) -> None:
    """Run the steps at the same moment, each in a thread and on a connection of its own; a
    designed refusal is an answer, anything else fails the test."""
    ready, failures = threading.Barrier(len(steps)), []

    def go(step: Callable[[], object]) -> None:
        try:
            ready.wait(5)
            with suppress(CartActionRefused):
                step()
        except BaseException as failure:
            failures.append(failure)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads), "a step hung"
    if failures:
        raise failures[0]


def start_job(runs: Runs, carts: QuerySet[Cart], staff, rng: random.Random, levels) -> None:
    """A re-price or a deletion of `carts`, as a job (however few)."""
    if rng.random() < 0.5:
        level = rng.choice(levels)
        runs.add(start("change_price_level", carts.open(), staff, level=level, mode="job"))
    else:
        runs.add(start("delete", carts.open(), staff, mode="job"))


def roll_back(runs: Runs, staff, run: CartRun) -> None:
    runs.add(undoing.undo(run, staff))


def roll_back_one(runs: Runs, staff) -> None:
    """Roll back the first of the runs that finished (done, or stopped) and may be rolled back."""
    with runs.lock:
        ids = list(runs.ids)
    finished = CartRun.objects.filter(pk__in=ids, status__in=[Status.DONE, Status.FAILED])
    for run in finished.order_by("pk"):
        with suppress(CartActionRefused):
            return roll_back(runs, staff, run)


def start_and_roll_back(runs: Runs, carts: QuerySet[Cart], staff) -> None:
    """Delete `carts` as a job, finish it, and roll it back."""
    run = start("delete", carts, staff, mode="job")
    runs.add(run)
    assert run is not None
    jobs.run(run.pk)
    roll_back(runs, staff, CartRun.objects.get(pk=run.pk))


def work(runs: Runs, rng: random.Random) -> None:
    if run := runs.pick(rng, *GOING):
        alongside(lambda: jobs.run(run.pk), lambda: jobs.run(run.pk))  # two workers, one job


def click_both(runs: Runs, staff, rng: random.Random) -> None:
    """Resume and Roll back of one run, clicked at once."""
    if run := runs.pick(rng, Status.DONE, Status.FAILED):
        alongside(lambda: undoing.resume(run), lambda: roll_back(runs, staff, run))


def purge(runs: Runs) -> None:
    run = start_purge(timezone.now())
    runs.add(run)
    if run is not None:
        jobs.run(run.pk)


def killed_mid_chunk(runs: Runs, rng: random.Random) -> None:
    """A worker on a job, its connection killed from another while it holds the run's lock
    (its chunk waits for a cart this thread holds); then it, or the next one, goes on."""
    run = runs.pick(rng, *GOING)
    if run is None:
        return
    worker = Worker(run.pk)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL lock_timeout = '1s'")
        with suppress(OperationalError), transaction.atomic():
            held = Cart.objects.filter(pk__in=run.cart_ids[run.position :]).select_for_update()
            list(held.values_list("pk", flat=True))
        worker.start()
        if worker.waiting_for_me(cursor):
            cursor.execute("SELECT pg_terminate_backend(%s)", [worker.pid])
    worker.finish()


class Worker(threading.Thread):
    """`jobs.run` in a thread of its own, whose connection may be killed."""

    def __init__(self, run_id: int) -> None:
        super().__init__(daemon=True)
        self.run_id, self.pid, self.started = run_id, 0, threading.Event()
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self.started.set()
            jobs.run(self.run_id)
        except (OperationalError, InterfaceError):
            pass  # killed, and the retries (if any) ran out: the run goes on later
        except BaseException as failure:
            self.failure = failure
        finally:
            self.started.set()
            connection.close()

    def waiting_for_me(self, cursor) -> bool:
        """Whether its chunk waits for a cart this connection holds: it holds the run's lock."""
        self.started.wait(5)
        deadline = time.monotonic() + 1
        while time.monotonic() < deadline and self.is_alive():
            cursor.execute("SELECT pg_backend_pid() = ANY(pg_blocking_pids(%s))", [self.pid])
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.005)
        return False

    def finish(self) -> None:
        self.join(30)
        assert not self.is_alive(), "a killed worker hung"
        if self.failure:
            raise self.failure


def run_step(runs: Runs, staff, rng: random.Random, customers, levels) -> None:
    """One thing staff or a worker does with runs, chosen at random."""
    kind = rng.choice(KINDS)
    if kind == "job":
        chosen = rng.sample(customers, rng.randint(1, len(customers)))
        start_job(runs, Cart.objects.filter(customer__in=chosen), staff, rng, levels)
    elif kind == "work":
        work(runs, rng)
    elif kind == "roll back" and (run := runs.pick(rng, Status.DONE, Status.FAILED)):
        roll_back(runs, staff, run)
    elif kind == "resume" and (run := runs.pick(rng, Status.FAILED)):
        undoing.resume(run)
    elif kind == "both":
        click_both(runs, staff, rng)
    elif kind == "purge":
        purge(runs)
    elif kind == "kill":
        killed_mid_chunk(runs, rng)


def finish_every_run() -> None:
    """What workers and people do afterwards: unfinished jobs go on (resume_cart_jobs), stopped
    ones are resumed where they may be (one stopped by a refusal stops again)."""
    for _ in range(3):
        for run in CartRun.objects.filter(status__in=GOING).order_by("pk"):
            jobs.run(run.pk)
        for run in CartRun.objects.filter(status=Status.FAILED).order_by("pk"):
            with suppress(CartActionRefused):
                jobs.run(undoing.resume(run).pk)


def assert_every_run_adds_up() -> None:
    for run in CartRun.objects.all():
        assert run.status not in GOING, f"{run} never finished"
        counted = run.changed + run.left_alone + run.refused_count
        assert counted == run.position, f"{run}: {counted} counted of {run.position}"
        assert run.status != Status.DONE or run.position == run.total, run


def assert_one_undo_per_run() -> None:
    doubled = CartRun.objects.exclude(undoes=None).values("undoes").annotate(n=Count("pk"))
    assert not doubled.filter(n__gt=1).exists()


def assert_rolled_back_carts_are_back_or_left_alone_with_a_reason() -> None:
    """Each cart a rolled-back run changed is back (as it was before that run) or was left alone
    for a reason: refused by name, or changed since (its status, or its level) before the undo
    finished."""
    for undo in CartRun.objects.filter(status=Status.DONE).exclude(undoes=None):
        run = undo.undoes
        assert run is not None
        for entry in CartEvent.objects.filter(run=run, action=declared(run.action).records):
            back = CartEvent.objects.filter(run=undo, cart_number=entry.cart_number).first()
            if back is not None:
                assert back.level_after == entry.level_before or back.action != entry.action
                continue
            since = CartEvent.objects.filter(
                Q(action__in=STATUS_CHANGES) | ~Q(level_after=entry.level_after),
                cart_number=entry.cart_number,
                pk__gt=entry.pk,
                created_at__lte=undo.finished_at,
            )
            named = re.compile(rf"\bcart {entry.cart_number}\b")
            refused = any(named.search(said) for said in undo.refused)
            assert refused or since.exists(), f"{undo} left cart {entry.cart_number} as it was"
