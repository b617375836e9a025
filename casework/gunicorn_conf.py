"""gunicorn settings for casework: `gunicorn -c python:casework.gunicorn_conf 'casework:create_app()'`.

gunicorn writes `Server: gunicorn` itself, before the app's headers, and has no setting for it
(benoitc/gunicorn#825): replace the name it uses with a neutral one. Other settings (workers,
bind, timeout) stay on the command line (docs/deploy.md).
"""
import gunicorn
import gunicorn.http.wsgi

from casework.security import SERVER_NAME

gunicorn.SERVER = SERVER_NAME
gunicorn.http.wsgi.SERVER = SERVER_NAME  # read by every Response (Response.__init__)
