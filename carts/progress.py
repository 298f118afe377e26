"""How far a long command has got: a bar redrawn in place on a terminal, whole lines elsewhere.

A tqdm bar redraws itself with carriage returns; written to a file or a pipe (a CI log,
`make run | tee`) its frames run together on one line. Off a terminal, progress is plain
lines instead, at most one per tenth of the work.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from django.core.management.base import OutputWrapper
from tqdm import tqdm


class Progress(Protocol):
    def update(self, n: int = 1) -> bool | None: ...


class Silent:
    def update(self, n: int = 1) -> None:
        pass


class LineProgress:
    """ "Loading carts: 35,000 of 350,000 (10%)": a line each time another tenth is done."""

    def __init__(self, out: OutputWrapper, total: int, desc: str) -> None:
        self.out, self.total, self.desc = out, total, desc
        self.done = 0
        self.tenths_told = 0

    def update(self, n: int = 1) -> None:
        self.done += n
        tenths = self.done * 10 // self.total if self.total else 10
        if tenths > self.tenths_told:
            self.tenths_told = tenths
            percent = self.done * 100 // self.total if self.total else 100
            self.out.write(f"{self.desc}: {self.done:,} of {self.total:,} ({percent}%)")
            self.out.flush()


class Verbatim:
    """A command's output stream that writes exactly what it is given: the command's own
    OutputWrapper would end each of tqdm's frames with a newline (and colour stderr red)."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out
        # tqdm draws its bar in block characters only where the encoding has them.
        self.encoding: str | None = getattr(out, "encoding", None)

    def write(self, text: str) -> None:
        self.out.write(text, style_func=str, ending="")  # str: the text as it is, unstyled

    def flush(self) -> None:
        self.out.flush()

    def fileno(self) -> int:
        # tqdm asks the terminal's width through it.
        return int(self.out.fileno())


@contextmanager
def progress(
    out: OutputWrapper, total: int, *, desc: str, unit: str, enabled: bool = True
) -> Iterator[Progress]:
    """Progress towards `total` on `out`: on a terminal a bar that ends with a newline, else
    lines such as "Loading carts: 35,000 of 350,000 (10%)"."""
    if not enabled:
        yield Silent()
    elif out.isatty():
        with tqdm(total=total, desc=desc, unit=f" {unit}", file=Verbatim(out)) as bar:
            yield bar
    else:
        yield LineProgress(out, total, desc)
