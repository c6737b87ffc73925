"""Generate many realistic articles through the real publish path (try it at scale)."""

import argparse
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test.utils import override_settings

from conditions.demo.library import build_data, generator

#: Article kind -> (option, help).
MIX_OPTIONS = {
    generator.DRAFT: ("--drafts", "left as drafts, never submitted"),
    generator.EDITED: (
        "--edited",
        "published, then edited again (a draft on top of the live version)",
    ),
    generator.PENDING_REVIEW: ("--pending-review", "awaiting medical review"),
    generator.CHANGES_REQUESTED: (
        "--changes-requested",
        "returned by the medical reviewer (changes requested)",
    ),
    generator.PENDING_TRANSLATION: (
        "--pending-translation",
        "published in the source language, their translation awaiting review",
    ),
    generator.OUTDATED_TRANSLATION: (
        "--outdated-translation",
        "with an outdated translation (the source approved again after it)",
    ),
}


def _share(value):
    try:
        share = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 <= share <= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {value}")
    return share


class Command(BaseCommand):
    help = (
        "Generate N realistic condition articles and publish them in every "
        "configured language through the real workflow (revision, submission, "
        "medical approval by another account, translation and translation "
        "review), with a realistic mix of drafts, pending reviews and outdated "
        "translations. English text comes from MedQuAD and MedlinePlus pages "
        "(vendored in conditions/demo/library/). The Spanish text is real "
        "Spanish health text from MedlinePlus but NOT a translation of the "
        "article it is attached to: it is for trying the site at scale only. "
        "Running it again adds N more articles."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            help="How many articles to add (a positive number).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="Random seed: the same seed on the same database gives the "
            "same library (default 1).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=50,
            help="Articles per database transaction (default 50).",
        )
        for kind, (option, description) in MIX_OPTIONS.items():
            parser.add_argument(
                option,
                type=_share,
                default=generator.DEFAULT_MIX[kind],
                metavar="SHARE",
                help=f"Share of the articles {description} "
                f"(0 to 1, default {generator.DEFAULT_MIX[kind]}).",
            )
        parser.add_argument(
            "--rebuild-data",
            action="store_true",
            help="Rebuild the vendored extract (library.json.gz) from the "
            "shared data folder, then stop.",
        )
        parser.add_argument(
            "--data-dir",
            default=str(build_data.DEFAULT_DATA_DIR),
            help="The data folder for --rebuild-data (default %(default)s).",
        )

    def handle(self, *args, **options):
        if options["rebuild_data"]:
            try:
                path, pages, spanish, size = build_data.build(options["data_dir"])
            except FileNotFoundError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                f"{path}: {pages} pages, {spanish} Spanish texts, {size / 1e6:.2f} MB"
            )
            return
        count = options["articles"]
        if count is None:
            raise CommandError("Say how many articles to add: --articles N.")
        if count < 1:
            raise CommandError(
                f"--articles must be a positive number of articles, not {count}."
            )
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        mix = {
            kind: float(options[option.lstrip("-").replace("-", "_")])
            for kind, (option, _help) in MIX_OPTIONS.items()
        }
        for kind, share in mix.items():
            if not 0 <= share <= 1:
                raise CommandError(
                    f"{MIX_OPTIONS[kind][0]} must be between 0 and 1, not {share}."
                )
        if sum(mix.values()) > 1:
            raise CommandError(
                "The shares of drafts, edits, pending reviews and translations "
                f"add up to {sum(mix.values()):.2f}: they must not exceed 1."
            )
        engine = generator.Generator(
            seed=options["seed"], mix=mix, batch_size=options["batch_size"]
        )
        for language in engine.skipped_languages:
            self.stderr.write(
                self.style.WARNING(
                    f"No sample text in {language!r}: articles are not "
                    "translated into it."
                )
            )
        progress = _progress(count)
        started, cpu = time.perf_counter(), time.process_time()
        # The workflow's notifications need not email anyone. DEBUG stays as
        # the settings have it: the pages stored at publication are rendered
        # as the running site renders them (under DEBUG the static files'
        # manifest is not read, so dev needs no collectstatic). Django keeps
        # at most 9,000 statements of a DEBUG connection; they are dropped
        # at the end.
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        ):
            counter = _QueryCounter()
            try:
                with connection.execute_wrapper(counter):
                    plans = engine.run(count, progress=progress)
            except generator.GenerationError as error:
                raise CommandError(str(error)) from error
            finally:
                reset_queries()
                if progress is not None:
                    progress.close()
        elapsed = time.perf_counter() - started
        self._report(plans, elapsed, time.process_time() - cpu, engine)
        if options["verbosity"] >= 2:
            self.stdout.write(
                f"SQL queries: {counter.count} "
                f"({counter.count / len(plans):.0f} per article)"
            )
            self.stdout.write("Time per step (s):")
            for step, seconds in engine.timings.most_common():
                self.stdout.write(f"  {seconds:>8.2f}  {step}")

    def _report(self, plans, elapsed, cpu, engine):
        counts = generator.summary(plans)
        write = self.stdout.write
        write(
            self.style.SUCCESS(
                f"Generated {len(plans)} articles in {elapsed:.1f} s, "
                f"{cpu:.1f} s of CPU ({elapsed / len(plans) * 1000:.0f} ms per "
                "article)."
            )
        )
        write("By kind:")
        for kind, label in generator.KIND_LABELS.items():
            write(f"  {counts['kinds'][kind]:>7}  {label}")
        write("By status:")
        for status, number in sorted(counts["status"].items()):
            write(f"  {number:>7}  {status}")
        write("Live publications by language:")
        for language in [engine.source, *engine.languages]:
            write(
                f"  {counts['live'][language]:>7}  {language}"
                f" ({counts['outdated'][language]} marked outdated)"
                if language != engine.source
                else f"  {counts['live'][language]:>7}  {language}"
            )
        write("Review requests awaiting review, by language:")
        for language in [engine.source, *engine.languages]:
            write(f"  {counts['pending'][language]:>7}  {language}")


class _QueryCounter:
    """Count the SQL statements run (connection.execute_wrapper)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _progress(total):
    """Return a tqdm bar on a terminal, else None."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="article", file=sys.stderr)
