#!/usr/bin/python3
"""Stand-in for the MoneyMind Flask app, used only by the integration-test harness.

Shaped like the production app from the runbook: Flask + SQLAlchemy (PyMySQL)
served by Waitress, logging to a file with the same format, a /health endpoint
doing SELECT 1. Extra endpoints let tests simulate the incidents:

  GET /_mode/hang     /health blocks (up to 3600 s) from now on: a hung app
  GET /_mode/ok       back to normal (also releases the blocked requests)
  GET /_mode/broken   /health fails with an exception no rule names (500)
  GET /slow?seconds=N occupy one worker thread for N seconds (saturation)
  GET /_leak?mb=N     keep N more MB (written, so resident): a leak, one step at a time
  GET /_leak/free     drop what /_leak kept

SIGUSR1 / SIGUSR2 switch to ok / hang as well: once every worker thread is
stuck in /health, no HTTP request (not even /_mode/ok) gets a thread, but a
signal still reaches the main thread.

Run with /usr/bin/python3 (Debian's python3-flask, python3-waitress,
python3-sqlalchemy, python3-pymysql).
"""
import datetime
import logging
import os
import signal
import sys
import threading
import time

from flask import Flask, jsonify, request
from sqlalchemy import create_engine, text
import waitress

PORT = int(os.environ.get("MM_PORT", "5000"))
DB_URL = os.environ.get("MM_DB_URL") or None
LOG_FILE = os.environ.get("MM_LOG_FILE") or None
POOL_RECYCLE = int(os.environ.get("MM_POOL_RECYCLE", "3600"))
THREADS = int(os.environ.get("MM_THREADS", "4"))
HANG_SECONDS = 3600
LOG_FORMAT = "%(asctime)s %(levelname)s: %(message)s [in %(pathname)s:%(lineno)d]"


def setup_logging():
    # On the root logger so that waitress's own loggers ("waitress",
    # "waitress.queue": "Task queue depth is N") land in the same file.
    handler = logging.FileHandler(LOG_FILE) if LOG_FILE else logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


setup_logging()
app = Flask(__name__)
# No pool_pre_ping, like the real app: a pooled connection the server closed
# (wait_timeout) fails the next query instead of being replaced silently.
engine = (
    create_engine(DB_URL, pool_recycle=POOL_RECYCLE, connect_args={"connect_timeout": 5})
    if DB_URL
    else None
)

# Set = normal operation; cleared = /health hangs.
_normal = threading.Event()
_normal.set()
_broken = False


def set_mode(mode):
    global _broken
    _broken = mode == "broken"
    if mode == "hang":
        _normal.clear()
    else:
        _normal.set()


@app.get("/health")
def health():
    if not _normal.is_set():
        _normal.wait(HANG_SECONDS)
    try:
        if _broken:
            raise KeyError("MONEYMIND_SETTINGS")
        if engine is not None:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        return jsonify(
            status="healthy",
            timestamp=datetime.datetime.now(datetime.timezone.utc).isoformat(),
        )
    except Exception as e:
        app.logger.error("Health check failed: %s", e, exc_info=True)
        return jsonify(status="unhealthy", error=str(e)), 500


@app.get("/_mode/<mode>")
def mode(mode):
    if mode not in ("ok", "hang", "broken"):
        return jsonify(error="mode must be ok, hang or broken"), 400
    set_mode(mode)
    app.logger.info("Test mode set to %s", mode)
    return jsonify(mode=mode)


@app.get("/slow")
def slow():
    seconds = min(max(float(request.args.get("seconds", "1")), 0.0), float(HANG_SECONDS))
    time.sleep(seconds)
    return jsonify(slept=seconds)


# What /_leak keeps: like a cache nobody evicts or sessions never closed.
_leaked = []


@app.get("/_leak")
def leak():
    mb = min(max(int(request.args.get("mb", "10")), 1), 256)
    # b"\x01" * n writes every page, so the kernel counts all of it in RSS (zeros could stay shared).
    _leaked.append(b"\x01" * (mb * 1024 * 1024))
    return jsonify(kept_mb=sum(len(b) for b in _leaked) // (1024 * 1024))


@app.get("/_leak/free")
def leak_free():
    _leaked.clear()
    return jsonify(kept_mb=0)


def _on_signal(signum, _frame):
    set_mode("ok" if signum == signal.SIGUSR1 else "hang")


if __name__ == "__main__":
    signal.signal(signal.SIGUSR1, _on_signal)
    signal.signal(signal.SIGUSR2, _on_signal)
    app.logger.info(
        "MoneyMind stand-in starting on 127.0.0.1:%d (threads=%d, pool_recycle=%d, db=%s)",
        PORT, THREADS, POOL_RECYCLE, "yes" if engine is not None else "no",
    )
    waitress.serve(app, host="127.0.0.1", port=PORT, threads=THREADS)
