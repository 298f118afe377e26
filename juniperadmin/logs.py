"""Logging filters the settings' LOGGING uses."""

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 4xx (a 403 refusal, a 404) logs its one line without the exception's traceback: the
    request was refused on purpose and the traceback only says where. 5xx keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
