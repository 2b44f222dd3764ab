"""The production server under load: a bare Django view, a question page, a result page and a PDF,
then the question page during a burst of PDFs, and Chromium printing the same result.

    uv run python bench/bench_load.py [seconds per measure, default 10] [connections, default 50]

Starts gunicorn as `make serve` does (deploy/gunicorn.conf.py, DEBUG off, hashed static files) on
a throw-away SQLite database, or on DATABASE_URL when it is set; loads with wrk (Debian's `wrk`),
which runs on the same 2-core machine. Prints requests/s, p50 and p99 for each, and the ratio to
the bare view (/theme.css: a Django view that formats three colours, through every middleware).
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
KEY = "bench-load-key-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEF"
FOLDER = Path(tempfile.mkdtemp(prefix="bench-load-"))
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "guide.settings",
    "GUIDE_SECRET_KEY": KEY,
    "GUIDE_SQLITE_PATH": str(FOLDER / "bench.sqlite3"),
    "GUIDE_STATIC_ROOT": str(FOLDER / "static"),
    "GUIDE_STATIC_MANIFEST": "1",
    "GUIDE_ACCESS_LOG": "/dev/null",
}
os.environ.update({k: v for k, v in ENV.items() if k.startswith(("GUIDE_", "DJANGO_"))})

import django  # noqa: E402

django.setup()

from bench.bench_pdf import longest_result  # noqa: E402 (after django.setup)
from guide import samples, state  # noqa: E402 (after django.setup)


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk(url: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": ms("50%"),
        "p99": ms("99%"),
        "errors": int(errors.group(1)) if errors else 0,
        "socket": socket_errors.group(1) if socket_errors else "",
    }


def interleaved(urls: dict[str, str], seconds: int, connections: int, rounds: int = 3) -> dict:
    """Each page measured in `rounds` rounds of seconds/rounds, one page after the other, so that
    a page and the bare view are measured minutes apart at most: this machine's speed drifts by
    up to 2× from one minute to the next (the bare view alone gave 764 and 1,750 req/s). Each
    row is the round with the median rate, and its ratio the median of the per-round ratios."""
    per_round = [
        {name: wrk(url, max(1, seconds // rounds), connections) for name, url in urls.items()}
        for _ in range(rounds)
    ]
    rows = {}
    for name in urls:
        runs = sorted((r[name] for r in per_round), key=lambda row: row["rps"])
        ratios = sorted(r[name]["rps"] / r[BARE]["rps"] for r in per_round)
        rows[name] = {**runs[len(runs) // 2], "ratio": ratios[len(ratios) // 2]}
        rows[name]["errors"] = sum(r[name]["errors"] for r in per_round)
    return rows


BARE = "bare view (theme.css)"


def burst(url: str, count: int) -> dict:
    """`count` PDF requests at once: how many got their PDF, how many a 503, and how fast."""
    answers = []  # (status, seconds)

    def one():
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                response.read()
                code = response.status
        except urllib.error.HTTPError as error:
            code = error.code
        answers.append((code, time.monotonic() - started))

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    def slowest(code: int) -> float:
        return max((t for c, t in answers if c == code), default=0.0)

    codes = [code for code, _ in answers]
    return {
        "200": codes.count(200),
        "503": codes.count(503),
        "max_200": slowest(200),
        "max_503": slowest(503),
    }


def chromium_print(url: str, runs: int = 5) -> float:
    """Median seconds for Chromium to load the result page and print it to PDF."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        for _ in range(runs + 1):
            started = time.monotonic()
            page.goto(url)
            page.pdf(format="A4")
            times.append(time.monotonic() - started)
        browser.close()
    return sorted(times[1:])[len(times[1:]) // 2]


def pdf_time(url: str, runs: int = 5) -> float:
    time.sleep(3)  # the burst's last PDFs finish first
    times = []
    for _ in range(runs + 1):
        started = time.monotonic()
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
        times.append(time.monotonic() - started)
    return sorted(times[1:])[len(times[1:]) // 2]


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    connections = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    manage("migrate", "--verbosity", "0")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    manage("load_procedures")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env={**ENV, "HOST": f"127.0.0.1:{port}"},
    )
    base = f"http://127.0.0.1:{port}"
    slug = "titre-sejour-perdu-vole"
    _, procedure, answers, _ = longest_result()
    urls = {
        BARE: f"{base}/theme.css",
        "question page": f"{base}/demarche/{slug}/?s={state.dump(slug, samples.BEFORE_COMMUNE)}",
        "result page": f"{base}/demarche/{slug}/resultat/?s={state.dump(slug, samples.STOLEN_IN_CAVAILLON)}",
    }
    pdf_url = (
        f"{base}/demarche/{procedure.slug}/resultat.pdf?s={state.dump(procedure.slug, answers)}"
    )
    longest_page = (
        f"{base}/demarche/{procedure.slug}/resultat/?s={state.dump(procedure.slug, answers)}"
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/sante/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        for url in urls.values():  # every worker warm (both processes, their PDF pools started)
            wrk(url, 2, connections)
        rows = interleaved(urls, seconds, connections)
        rows["PDF (longest result, 4 connections)"] = wrk(pdf_url, seconds, 4)
        results: dict = {}

        def question_during_burst():
            results["q"] = wrk(urls["question page"], seconds, 10)

        thread = threading.Thread(target=question_during_burst)
        thread.start()
        time.sleep(1)
        bursts = [burst(pdf_url, 100)]
        thread.join()
        rows["question page during a PDF burst (10 connections)"] = results["q"]
        # 100 PDF requests in flight all the time (wrk keeps 100 connections busy), with the
        # question page measured beside it.
        thread = threading.Thread(target=question_during_burst)
        thread.start()
        rows["PDF, 100 connections at once"] = wrk(pdf_url, seconds, 100)
        thread.join()
        rows["question page during 100 PDF connections (10 connections)"] = results["q"]
        weasy = pdf_time(pdf_url)
        chromium = chromium_print(longest_page)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(FOLDER, ignore_errors=True)
    bare = rows[BARE]["rps"]
    print(
        f"\n{seconds} s per measure, {connections} connections unless said, on {os.cpu_count()} cores"
    )
    print(f"{'':52} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'× bare':>7} {'errors':>7}")
    for name, row in rows.items():
        print(
            f"{name:52} {row['rps']:8.0f} {row['p50']:8.1f} {row['p99']:8.1f} "
            f"{row.get('ratio', row['rps'] / bare):7.2f} {row['errors']:7d} {row['socket']}"
        )
    for number, figures in enumerate(bursts, 1):
        print(
            f"PDF burst {number}: 100 requests → {figures['200']} PDFs, {figures['503']} × 503, "
            f"slowest 503 {figures['max_503']:.2f} s, slowest PDF {figures['max_200']:.2f} s"
        )
    print(
        f"Longest result ({procedure.slug}): WeasyPrint PDF {weasy * 1000:.0f} ms (request), "
        f"Chromium load and print {chromium * 1000:.0f} ms, ratio {weasy / chromium:.2f}"
    )


if __name__ == "__main__":
    main()
