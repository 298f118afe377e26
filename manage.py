#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import signal
import sys


def main() -> None:
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "juniperadmin.settings")
    try:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    try:
        settings.INSTALLED_APPS  # noqa: B018 - loading the settings checks the environment
    except ImproperlyConfigured as error:
        # A bad setting is the operator's to fix: one line naming it, not a traceback.
        print(f"Configuration error: {error}", file=sys.stderr)
        sys.exit(2)
    execute_from_command_line(sys.argv)


def interrupt(number: int, frame: object) -> None:
    """Ctrl-C: KeyboardInterrupt, as Python's own handler raises, the first time only. A second
    Ctrl-C finds the command already ending (its exit handlers running): raised there it
    printed "RuntimeError: cannot release un-acquired lock" from logging's; it ends the
    process at once instead. Commands with handlers of their own (the task worker) keep them."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    raise KeyboardInterrupt


def end_as_interrupted() -> None:
    """End as Ctrl-C ends a program, so the shell and make see it, with no traceback."""
    sys.stdout.flush()
    sys.stderr.flush()
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGINT)


if __name__ == "__main__":
    # make run starts its commands with Ctrl-C ignored until here (see the Makefile); anything
    # else started with it ignored (a background job) keeps ignoring it.
    if os.environ.pop("CTRL_C_ONCE_STARTED", None):
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not ignored
        signal.signal(signal.SIGINT, interrupt)
    try:
        main()
    except KeyboardInterrupt:
        end_as_interrupted()
    except BrokenPipeError:
        # Whoever read the output is gone (make run's `| sed` stopped by the same Ctrl-C):
        # nothing more can be said, so say nothing, and no traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    finally:  # ending now (its exit handlers still to run): a Ctrl-C ends it at once
        signal.signal(signal.SIGINT, signal.SIG_DFL)
