"""Where a results page's time goes, in one process: CPU per page and its parts.

    .venv/bin/python -m bench.page_profile --database instance/bench/bench-20000.sqlite3 \
        [--rounds 5] [--lang en|es]

The app's own results pages for 200 random ZIP codes (25 miles), asked through Flask's test
client after one unmeasured round (the gazetteer loaded, the count cache warm, as under
wrk). Each part is timed where the view calls it, in CPU seconds of this process, and the
best round of `--rounds` is kept: the machine is often shared, and other work only ever
adds. The parts overlap as they nest: "render" holds "cards" and "provenance"; what is left
of the total is Flask's request machinery (contexts, session, rate limit, headers) and the
view's glue. The bare R*Tree page of bench/bare_app.py, asked the same way, is the yardstick.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bench import queries, serving
from locator import create_app

# (module, function, part): what the results view calls, in the module it is looked up in.
PARTS = (
    ("locator.public.views", "render_template", "render (all of the template)"),
    ("locator.web.card_markup", "result_card_items", "  of which: writing the cards"),
    ("locator.search", "find", "search (nearest first, count, summaries)"),
    ("locator.search", "wider", "counts of wider radii (fewer than 5 found)"),
    ("locator.search", "nearest_beyond", "nearest beyond the radius (none found)"),
    ("locator.public.views", "ListingContext", "the listing's query and links"),
    ("locator.public.views", "cached_filter_counts", "numbers beside the filters"),
    ("locator.public.views", "SearchForm", "reading the form"),
    ("locator.public.views", "resolve_location", "placing the location"),
    ("locator.public.views", "remember_search_location", "remembering the city"),
)


def _timed(function: Callable, part: str, spent: Counter) -> Callable:
    def timed(*args, **kwargs):
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[part] += time.process_time() - started

    return timed


def _instrument(app, spent: Counter) -> None:
    for module_name, name, part in PARTS:
        owner = importlib.import_module(module_name)
        setattr(owner, name, _timed(getattr(owner, name), part, spent))
    # Templates call the card list by the name it was given at start-up.
    app.jinja_env.globals["result_card_items"] = importlib.import_module(
        "locator.web.card_markup"
    ).result_card_items


def _best_round(client, paths: list[str], rounds: int, spent: Counter) -> tuple[float, Counter]:
    best, best_parts = float("inf"), Counter()
    for _ in range(rounds):
        spent.clear()
        started = time.process_time()
        for path in paths:
            if client.get(path).status_code != 200:
                raise SystemExit(f"{path} did not answer 200")
        seconds = time.process_time() - started
        if seconds < best:
            best, best_parts = seconds, Counter(spent)
    per_page = 1000 / len(paths)
    return best * per_page, Counter({k: v * per_page for k, v in best_parts.items()})


def _bare_page_ms(database: Path, zips: list[str], rounds: int) -> float:
    from bench import bare_app
    from locator.geo import gazetteer

    known = gazetteer().zips
    os.environ["LOCATOR_BARE_DATABASE"] = str(database)
    os.environ["LOCATOR_BARE_POINTS"] = json.dumps(
        {code: [known[code].latitude, known[code].longitude] for code in zips}
    )
    client = bare_app.create_app().test_client()
    paths = serving.search_paths(zips)["results page"]
    best, _ = _best_round(client, paths, rounds + 1, Counter())
    return best


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True, help="an SQLite file of the app")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--lang", choices=("en", "es"), default="en")
    args = parser.parse_args()
    url = f"sqlite:///{args.database.resolve()}"
    app = create_app(serving_settings(url))
    spent: Counter = Counter()
    _instrument(app, spent)
    with app.app_context():
        zips = [code for code, _ in queries.random_zip_points(200, seed=7)]
        prefix = "/es" if args.lang == "es" else ""
        paths = [prefix + path for path in serving.search_paths(zips)["results page"]]
        client = app.test_client()
        _best_round(client, paths, 1, spent)  # warm: gazetteer, caches, compiled templates
        total, parts = _best_round(client, paths, args.rounds, spent)
        bare = _bare_page_ms(args.database.resolve(), zips, args.rounds)
    print(f"results page ({args.lang}): {total:.3f} ms of CPU a page (best of {args.rounds})")
    for _, _, part in PARTS:
        print(f"  {part:44s} {parts[part]:.3f} ms")
    accounted = sum(parts[p] for _, _, p in PARTS if not p.startswith("  "))
    print(f"  {'request machinery and view glue (the rest)':44s} {total - accounted:.3f} ms")
    print(f"bare Flask + Jinja + sqlite3 R*Tree page: {bare:.3f} ms of CPU a page")
    print(f"results page ÷ bare, in CPU a page: {bare / total:.2f}")


def serving_settings(url: str) -> dict[str, str]:
    """The served app's settings (bench/serving.py), as the app's own configuration keys."""
    settings = serving.app_environment(url)
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": settings["LOCATOR_SECRET_KEY"],
        "LOCATOR_API_RATE_LIMIT": settings["LOCATOR_API_RATE_LIMIT"],
        "LOCATOR_PAGE_RATE_LIMIT": settings["LOCATOR_PAGE_RATE_LIMIT"],
    }


if __name__ == "__main__":
    main()
