"""gunicorn's configuration for production: `make serve`, or `gunicorn -c deploy/gunicorn.conf.py`.

Threads, not only processes: a PDF request that waits for its render (in a PDF worker process,
guide/pdf.py) holds one thread, and the other threads of the same process keep answering wizard
steps. Every value can be changed by an environment variable (README, "Mettre en service").
"""

import multiprocessing
import os
import re

from gunicorn.glogging import Logger

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guide.settings")
os.environ.setdefault("GUIDE_STATIC_MANIFEST", "1")  # hashed static file names, collected

wsgi_app = "guide.wsgi:application"
bind = os.environ.get("HOST", "127.0.0.1:8000")
workers = int(os.environ.get("GUIDE_WEB_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUIDE_WEB_THREADS", "8"))
timeout = 30  # a request (a PDF included) never takes longer; the worker is then restarted
graceful_timeout = 20  # on reload or stop, requests in progress get this long to finish
keepalive = 5
max_requests = int(os.environ.get("GUIDE_MAX_REQUESTS", "0"))  # 0: processes are not renewed
forwarded_allow_ips = os.environ.get("GUIDE_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Access log without query strings (the wizard's answers travel there, encrypted) and with the
# printed link's token cut out of its path.
accesslog = os.environ.get("GUIDE_ACCESS_LOG", "-")
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"


class PrivateLogger(Logger):
    LINK = re.compile(r"^(/(?:embed/)?r/[^/]+/)[^/]+/")

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = self.LINK.sub(r"\1…/", atoms["U"])
        return atoms


logger_class = PrivateLogger


def post_worker_init(worker):
    """Start this process's PDF workers before its first visitor (each process has its own)."""
    from guide import pdf

    pdf.warm_up()


def worker_exit(server, worker):
    from guide import pdf, statistics

    pdf.shutdown()
    statistics.flush()  # the counts of the last seconds
