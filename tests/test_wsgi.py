"""The WSGI entry point gunicorn serves (`gunicorn juniperadmin.wsgi`) answers a request."""

import io

import pytest

pytestmark = pytest.mark.django_db


def test_the_wsgi_application_serves_the_log_in_page():
    from juniperadmin.wsgi import application

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/accounts/login/",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(),
        "wsgi.url_scheme": "http",
    }
    started = []
    body = b"".join(application(environ, lambda status, headers: started.append(status)))
    assert started == ["200 OK"] and b"Sign in" in body
