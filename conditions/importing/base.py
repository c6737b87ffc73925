"""What every importer shares: one transaction per file, dry runs, the summary.

An importer is two functions: ``read_records(path)`` streams a file and
yields its records one at a time (raising ``ImportFailure`` for malformed
input), and ``apply_record(record, path)`` does the database work for one
record and returns an ``Outcome``. ``run_import`` runs them over files:

- each file is imported in its own ``transaction.atomic()`` block, so a
  failure anywhere in a file (truncated, wrong encoding, a record missing a
  required field…) leaves the database as it was before that file;
- a dry run does the same work and always rolls it back, so that its summary
  says exactly what would change;
- a progress bar (bytes of the file, read through ``open_input``) is shown
  on a terminal only, and a summary is printed at the end.

``record_for`` and ``remember`` link an outside record (source, key) to the
article it became, so that a re-import updates that article instead of
creating another one; ``digest`` tells an unchanged record from a changed
one.
"""

import codecs
import contextvars
import hashlib
import json
import os
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Condition, ImportedRecord

#: The progress bar of the file being imported (updated by open_input).
_bar = contextvars.ContextVar("import_progress_bar", default=None)

#: Bytes read from an input file at a time.
CHUNK = 64 * 1024


class ImportFailure(Exception):
    """Malformed input: names the file, the record and the line."""

    def __init__(self, message, *, file, record=None, line=None):
        super().__init__(message)
        self.message = str(message)
        self.file = str(file)
        self.record = record
        self.line = line

    def __str__(self):
        where = [os.path.basename(self.file) or self.file]
        if self.line is not None:
            where.append(_("line %(line)s") % {"line": self.line})
        if self.record not in (None, ""):
            where.append(_("record %(record)s") % {"record": self.record})
        return f"{', '.join(where)}: {self.message}"


@dataclass
class Outcome:
    """What applying one record did, or would do."""

    action: str  # "created" | "updated" | "unchanged" | "refused"
    key: str
    condition: Condition | None
    detail: str = ""
    #: A remark on a record applied as asked (e.g. left unapproved).
    note: str = ""


@dataclass
class Summary:
    """What a run did to each file, and the failures."""

    files: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list = field(default_factory=list)
    noted: list = field(default_factory=list)
    failed_files: list = field(default_factory=list)
    dry_run: bool = False

    @property
    def failed(self):
        return bool(self.failed_files)

    def add(self, outcome):
        if outcome.action == "refused":
            self.refused.append(outcome)
        else:
            setattr(self, outcome.action, getattr(self, outcome.action) + 1)
            if outcome.note:
                self.noted.append(outcome)

    def lines(self):
        """Return the human summary printed at the end."""
        values = {
            "files": self.files,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.dry_run:
            lines = [
                _("Dry run: nothing was changed."),
                ngettext(
                    "%(files)s file read: would create %(created)s, would update "
                    "%(updated)s, %(unchanged)s unchanged.",
                    "%(files)s files read: would create %(created)s, would update "
                    "%(updated)s, %(unchanged)s unchanged.",
                    self.files,
                )
                % values,
            ]
        else:
            lines = [
                ngettext(
                    "%(files)s file imported: %(created)s created, %(updated)s "
                    "updated, %(unchanged)s unchanged.",
                    "%(files)s files imported: %(created)s created, %(updated)s "
                    "updated, %(unchanged)s unchanged.",
                    self.files,
                )
                % values
            ]
        if self.noted:
            lines.append(
                ngettext(
                    "%(count)s record left as it was in the backup:",
                    "%(count)s records left as they were in the backup:",
                    len(self.noted),
                )
                % {"count": len(self.noted)}
            )
            lines.extend(f"  {o.key}: {o.note}" for o in self.noted)
        if self.refused:
            lines.append(
                ngettext(
                    "%(count)s record refused:",
                    "%(count)s records refused:",
                    len(self.refused),
                )
                % {"count": len(self.refused)}
            )
            lines.extend(f"  {o.key}: {o.detail}" for o in self.refused)
        if self.failed_files:
            lines.append(
                ngettext(
                    "%(count)s file failed; nothing was imported from it:",
                    "%(count)s files failed; nothing was imported from them:",
                    len(self.failed_files),
                )
                % {"count": len(self.failed_files)}
            )
            lines.extend(f"  {failure}" for failure in self.failed_files)
        return lines


def run_import(
    paths,
    *,
    read_records,
    apply_record,
    finish_file=None,
    dry_run=False,
    stdout=None,
    stderr=None,
):
    """Import each file in its own transaction and return the Summary.

    finish_file(path), if given, runs after a file's last record inside its
    transaction (e.g. to link records that refer to later ones); it may
    raise ImportFailure too. Failures are printed to stderr as they happen;
    the summary is the caller's to print.
    """
    stderr = stderr or sys.stderr
    summary = Summary(dry_run=dry_run)
    for path in paths:
        outcomes = []
        bar = _progress(path)
        token = _bar.set(bar)
        try:
            with transaction.atomic():
                for record in read_records(path):
                    outcomes.append(apply_record(record, path))
                if finish_file is not None:
                    finish_file(path)
                if dry_run:
                    transaction.set_rollback(True)
        except ImportFailure as failure:
            _fail(summary, failure, stderr, bar)
            continue
        except ValidationError as error:
            _fail(summary, ImportFailure(_join(error), file=path), stderr, bar)
            continue
        except ET.ParseError as error:
            line = error.position[0] if getattr(error, "position", None) else None
            failure = ImportFailure(
                _("not well-formed XML: %(error)s") % {"error": error},
                file=path,
                line=line,
            )
            _fail(summary, failure, stderr, bar)
            continue
        finally:
            _bar.reset(token)
            if bar is not None:
                bar.close()
        summary.files += 1
        for outcome in outcomes:
            summary.add(outcome)
    return summary


def _join(error):
    return " ".join(getattr(error, "messages", [str(error)]))


def _fail(summary, failure, stderr, bar):
    summary.failed_files.append(failure)
    if bar is not None:
        bar.clear()
    stderr.write(str(failure) + "\n")


def _progress(path):
    """Return a tqdm bar over the file's bytes on a terminal, else None."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    try:
        total = os.path.getsize(path)
    except OSError:
        total = None
    return tqdm(
        total=total,
        unit="B",
        unit_scale=True,
        desc=os.path.basename(str(path)),
        file=sys.stderr,
    )


def progress_stage(label):
    """Start the current file's progress bar again, for another pass over it."""
    bar = _bar.get()
    if bar is not None:
        bar.reset(total=bar.total)
        bar.set_description(label)


class _Input:
    """A binary file read as UTF-8: counts lines, refuses other encodings.

    Each read reports its bytes to the progress bar of the current import.
    """

    def __init__(self, path, raw):
        self.path, self.raw = path, raw
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.line = 1
        self.first = True

    def read(self, size=-1):
        data = self.raw.read(CHUNK if size is None or size < 0 else size)
        self._check(data, final=not data)
        bar = _bar.get()
        if bar is not None and data:
            bar.update(len(data))
        return data

    def _check(self, data, *, final):
        if self.first and data:
            self.first = False
            for bom, name in ((codecs.BOM_UTF16_LE, "UTF-16"), (b"\xfe\xff", "UTF-16")):
                if data.startswith(bom):
                    raise ImportFailure(
                        _("the file is not UTF-8 (it looks like %(encoding)s).")
                        % {"encoding": name},
                        file=self.path,
                        line=1,
                    )
        try:
            self.decoder.decode(data, final)
        except UnicodeDecodeError as error:
            good = data[: max(error.start, 0)]
            line = self.line + good.count(b"\n")
            byte = data[error.start] if error.start < len(data) else None
            message = (
                _("the file is not UTF-8: byte 0x%(byte)02x at line %(line)s.")
                % {"byte": byte, "line": line}
                if byte is not None
                else _("the file is not UTF-8: it ends inside a character.")
            )
            raise ImportFailure(message, file=self.path, line=line) from None
        self.line += data.count(b"\n")

    def close(self):
        self.raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_input(path):
    """Open a file to import: a binary file whose reads are checked as UTF-8.

    Raises ImportFailure (naming the file) if it cannot be opened, and from
    read() at the first byte that is not UTF-8 (naming the byte and line).
    """
    try:
        raw = open(path, "rb")  # noqa: SIM115 (closed by _Input)
    except OSError as error:
        raise ImportFailure(
            _("cannot be read: %(error)s") % {"error": error.strerror or error},
            file=path,
        ) from None
    return _Input(path, raw)


def check_user(user):
    """Refuse an account that may not create and change articles."""
    if not (
        user.is_active
        and user.has_perm("conditions.add_condition")
        and user.has_perm("conditions.change_condition")
    ):
        raise PermissionDenied(
            _("%(user)s may not create and change articles, so may not import them.")
            % {"user": user.get_username()}
        )


def digest(data):
    """Return the sha256 of a record's canonical JSON (key order ignored)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def record_for(source, key):
    """Return the ImportedRecord of an outside record, or None."""
    return (
        ImportedRecord.objects.select_related("condition")
        .filter(source=source, key=str(key))
        .first()
    )


def remember(source, key, condition, digest):
    """Record which article an outside record became, and its digest."""
    record, _created = ImportedRecord.objects.update_or_create(
        source=source,
        key=str(key),
        defaults={"condition": condition, "digest": digest},
    )
    return record
