"""``safetycheck review``: the walk over a record's hazards that are not closed, one screen each.

Why the same saving as ``run``: the record is locked for the whole walk and written atomically
after every answer, so a kill loses nothing acknowledged, and ``review`` again continues the
review left in progress at its first hazard without an answer.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from safetycheck.inspection import records, session
from safetycheck.inspection.recordmodels import Evidence, InspectionRecord, Person, Review, ReviewResult
from safetycheck.inspection.walk import _notice, _Signals, _silence_terminal, ask_inspectors, parse_inspector, shown
from safetycheck.lifecycle import review as reviews
from safetycheck.lifecycle.files import load_record
from safetycheck.lifecycle.hazards import HazardState, hazard_states
from safetycheck.lifecycle.review import measures_text
from safetycheck.lifecycle.seal import verify_record
from safetycheck.messages import t

if TYPE_CHECKING:
    from rich.console import Console

REVIEW_KEYS = {"y": "passed", "n": "failed", "m": "note", "b": "back", "q": "quit"}


@dataclass(frozen=True)
class Screen:
    """What one hazard's screen shows."""

    position: int
    count: int
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    current: ReviewResult | None = None
    note: str | None = None


class ReviewPrompter(Protocol):
    """What the review walk needs from a terminal (or a script)."""

    def ask_review(self, screen: Screen) -> str:
        """Show one hazard and return ``passed``, ``failed``, ``note``, ``back`` or ``quit``."""
        ...

    def ask_text(self, question: str, default: str | None) -> str:
        """Ask one line; Enter returns ``default``."""
        ...

    def warn(self, message: str) -> None:
        """Say why an answer was not accepted."""
        ...

    def info(self, message: str) -> None:
        """A line of information."""
        ...


def _evidence_text(files: list[Any]) -> str:
    return t("sep.list").join(f"{e['path']} ({e['size']} B, {e['sha256'][:12]})" if isinstance(e, dict) else
                              f"{e.path} ({e.size} B, {e.sha256[:12]})" for e in files)


def screen_rows(record: InspectionRecord, state: HazardState, day: dt.date) -> list[tuple[str, str]]:
    """The rows of a hazard's screen: finding, level, measure, deadline, on-site measures, the unit's side."""
    h = state.hazard
    rows = [(t("review.row.finding"), h.description), (t("review.row.level"), t(f"level.{h.level}")),
            (t("review.row.measure"), h.measure or "—")]
    late = state.overdue_days(day)
    deadline = state.deadline.isoformat() if state.deadline else "—"
    rows.append((t("review.row.deadline"), deadline + (t("review.row.overdue", days=late) if late else "")))
    if h.measures:
        rows.append((t("review.row.measures"), measures_text(h.measures, h.measure_other) +
                     (f" ({h.measure_scope})" if h.measure_scope else "")))
    rows.append((t("review.row.status"), t(state.label_key(day))))
    notes = [str(e.detail["note"]) for e in state.events if e.kind in ("rectified", "noted") and e.detail.get("note")]
    if notes:
        rows.append((t("review.row.rectification"), t("sep.semi").join(notes)))
    if h.evidence:
        rows.append((t("review.row.before"), _evidence_text(list(h.evidence))))
    after = [e for ev in state.events if ev.kind in ("rectified", "noted", "reviewed")
             for e in ev.detail.get("evidence", [])]
    if after:
        rows.append((t("review.row.after"), _evidence_text(after)))
    return rows


@dataclass
class ReviewOptions:
    """What the review walk needs besides the record."""

    clock: Callable[[], dt.datetime]
    save: Callable[[InspectionRecord], None]
    day: dt.date
    evidence_base: Path | None = None
    source: str = ""


def run_review(record: InspectionRecord, review: Review, prompter: ReviewPrompter, options: ReviewOptions) -> str:
    """Walk the review's hazards, saving after every answer.

    Returns:
        ``complete`` (every hazard answered; the review is closed and saved) or ``quit``.
    """
    covered = [s.id for s in reviews.targets(record, review)]

    def unanswered() -> list[int]:
        done = {r.hazard for r in review.results}
        return [i for i, h in enumerate(covered) if h not in done]

    index = (unanswered() or [0])[0]
    note: str | None = None
    while True:
        if index >= len(covered):
            if not unanswered():
                reviews.finish_review(record, review, options.clock())
                options.save(record)
                return "complete"
            index = unanswered()[0]
        state = {s.id: s for s in hazard_states(record)}[covered[index]]
        current = next((r for r in review.results if r.hazard == state.id), None)
        title = f"{state.id} · {state.key}"
        key = prompter.ask_review(Screen(index + 1, len(covered), title, screen_rows(record, state, options.day),
                                         current, note))
        if key == "quit":
            return "quit"
        if key == "back":
            index, note = max(index - 1, 0), None
            continue
        if key == "note":
            note = prompter.ask_text(t("review.ask_note"), note or (current.note if current else None)).strip() or None
            continue
        result = _ask_result(prompter, state, key, note, current, options)
        reviews.record_result(record, review, state, result, options.clock(), options.day)
        options.save(record)
        prompter.info(t("review.saved", id=state.id, result=t(f"review.result.{result.result}")))
        note = None
        index += 1


def _ask_result(prompter: ReviewPrompter, state: HazardState, key: str, note: str | None,
                current: ReviewResult | None, options: ReviewOptions) -> ReviewResult:
    followup = deadline = None
    if key == "failed":
        known = note or (current.note if current and current.result == "failed" else None) or t("review.not_done")
        note = prompter.ask_text(t("review.ask_situation"), known).strip() or known
        choices = reviews.FOLLOWUPS if state.is_major else reviews.FOLLOWUPS[:3]
        prompter.info(t("review.followups") + (t("review.followup_closure") if state.is_major else ""))
        while followup is None:
            answer = prompter.ask_text(t("review.ask_followup"), "1").strip().lower()
            pick = choices[int(answer) - 1] if answer.isdigit() and 1 <= int(answer) <= len(choices) else answer
            if pick in choices:
                followup = pick
            else:
                prompter.warn(t("review.followup_choices", choices=", ".join(choices)))
        while followup == "extend" and deadline is None:
            text = prompter.ask_text(t("walk.ask_deadline_general", days=session.GENERAL_DAYS,
                                       example=session.date_example(options.day)), str(session.GENERAL_DAYS)).strip()
            try:
                deadline = session.parse_deadline(text or str(session.GENERAL_DAYS), options.day)
            except ValueError as exc:
                prompter.warn(str(exc))
    evidence: list[Evidence] = []
    while True:
        path = prompter.ask_text(t("walk.ask_evidence"), None).strip()
        if not path:
            break
        try:
            evidence.append(session.evidence_for(path, options.evidence_base))
        except ValueError as exc:
            prompter.warn(str(exc))
    return ReviewResult(hazard=state.id, result=key, note=note, followup=followup,  # type: ignore[arg-type]
                        deadline=deadline, evidence=evidence)


# --- the terminal -------------------------------------------------------------------------------


class RichReviewPrompter:
    """The terminal side of the review walk: one screen per hazard, single keys."""

    def __init__(self, console: Console) -> None:
        """Use ``console`` for every screen."""
        from safetycheck.inspection.prompter import RichPrompter

        self.console = console
        self.lines = RichPrompter(console)

    def ask_review(self, screen: Screen) -> str:
        """Show the hazard and wait for y/n/m/b/q (``?`` shows the key help)."""
        from rich.markup import escape

        from safetycheck.inspection.prompter import drop_typed_ahead, read_key

        c = self.console
        c.print()
        c.rule(escape(f"[{screen.position}/{screen.count}] {screen.title}"), align="left", style="cyan")
        for label, value in screen.rows:
            c.print(escape(f"{label}{t('colon')}{value}"), soft_wrap=True)
        if screen.current is not None:
            c.print(escape(t("review.current", result=t(f"review.result.{screen.current.result}"))), style="green")
        if screen.note:
            c.print(escape(t("walk.note", note=screen.note)))
        drop_typed_ahead()
        while True:
            self.lines.info(t("review.keys"))
            c.print("> ", end="")
            c.file.flush()
            ch = read_key().lower()
            if ch == "?":
                self.lines.info("?")
                self.lines.info(t("review.help"))
                continue
            key = REVIEW_KEYS.get(ch)
            if key is None:
                continue
            self.lines.info(f"{ch} → {t(f'review.key.{key}')}")
            return key

    def ask_text(self, question: str, default: str | None) -> str:
        """One line; Enter gives ``default``."""
        return self.lines.ask_text(question, default)

    def confirm(self, message: str) -> bool:
        """Yes or no."""
        return self.lines.confirm(message)

    def warn(self, message: str) -> None:
        """Why the answer was refused."""
        self.lines.warn(message)

    def info(self, message: str) -> None:
        """A line of information."""
        self.lines.info(message)


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone().replace(microsecond=0)


def _checked(record: InspectionRecord, path: Path) -> None:
    if record.status != "complete" or not record.seal:
        raise reviews.ReviewError(t("hazards.not_complete", path=path.name))
    verdict = verify_record(record)
    if not verdict.ok:
        raise reviews.ReviewError(t("hazards.unverified", path=path.name, change=verdict.changes[0]))


def review_command(path: Path, inspectors: list[str], answers: str | None, date: str | None, console: Console,
                   clock: Callable[[], dt.datetime] = _now) -> int:
    """``safetycheck review``: interactive, or from a review answers file.

    Returns:
        0 when complete or quit with ``q``; 130 on Ctrl-C or a closed terminal (every answer saved).

    Raises:
        SafetycheckError: no terminal and no answers, a bad record, answers file or option.
    """
    if answers is None and not sys.stdin.isatty():
        raise reviews.no_terminal()
    given = [parse_inspector(v) for v in inspectors]
    record, _ = load_record(path)
    _checked(record, path)
    now = clock()
    day = reviews.review_day(date, record, now.date())
    if answers is not None:
        return _from_answers(path, answers, given, date is not None and day or None, clock)
    signals = _Signals()
    with records.record_lock(path, "walk") as lock, signals.installed():
        for line in lock.recovery.notices():
            _notice(line)
        record, _ = load_record(path)
        _checked(record, path)
        prompter = RichReviewPrompter(console)
        review = reviews.open_review(record)
        if review is not None:
            console.print(t("review.continue", id=review.id, path=shown(path)), markup=False, soft_wrap=True)
            day = review.started_at.date() if date is None else day
        else:
            people = given or _default_people(record)
            try:
                if record.mode == "inspect" and not any(p.cert for p in people):
                    people = ask_inspectors(prompter, [p for p in people if p.cert], record.mode)
                review = reviews.start_review(record, people, _start(now, day), path.name)
            except (KeyboardInterrupt, EOFError):
                console.print()
                return 130
        written = [records.record_to_toml(record)]  # a review begun is written with its first answer

        def save(r: InspectionRecord) -> None:
            data = records.record_to_toml(r)
            if data != written[0]:
                lock.check()
                records.atomic_write(path, data)
                written[0] = data

        console.print(t("review.start", id=review.id, path=shown(path), mode=t(f"review.kind.{record.mode}")),
                      style="bold", markup=False, soft_wrap=True)
        options = ReviewOptions(clock=clock, save=signals.guarded(save), day=day, evidence_base=path.parent,
                                source=path.name)
        try:
            outcome = run_review(record, review, prompter, options)
        except (KeyboardInterrupt, EOFError):
            outcome = "interrupted"
            if signals.hung_up:
                _silence_terminal()
            else:
                console.print()
    if outcome == "interrupted":
        _notice(t("review.interrupted", path=shown(path)))
        return 130
    if outcome == "quit":
        console.print(t("review.quit", path=shown(path)), markup=False, soft_wrap=True)
        return 0
    _summary(console, record, review, path)
    return 0


def _default_people(record: InspectionRecord) -> list[Person]:
    """The record's own inspectors (self mode: its 验收人 are asked for when it has none)."""
    return list(record.inspectors)


def _start(now: dt.datetime, day: dt.date) -> dt.datetime:
    return now if day == now.date() else dt.datetime.combine(day, now.timetz())


def _from_answers(path: Path, source: str, given: list[Person], day: dt.date | None,
                  clock: Callable[[], dt.datetime]) -> int:
    from safetycheck.inspection.answers import read_answers
    from safetycheck.lifecycle.files import change_record

    doc = read_answers(source)
    base = Path.cwd() if source == "-" else Path(source).parent

    def change(record: InspectionRecord) -> Review:
        _checked(record, path)
        people, start, end, results = reviews.parse_review_answers(doc, record, path.name, clock(), given, day, base)
        return reviews.apply_answers(record, people, start, end, results, path.name, clock)

    review = change_record(path, change)
    sys.stderr.write(t("review.written", id=review.id, path=shown(path), count=len(review.results)) + "\n")
    return 0


def _summary(console: Console, record: InspectionRecord, review: Review, path: Path) -> None:
    passed = sum(1 for r in review.results if r.result == "passed")
    console.print(t("review.done", id=review.id, passed=passed, failed=len(review.results) - passed),
                  style="bold", markup=False, soft_wrap=True)
    doc = {"inspect": "review-opinion", "self": "acceptance", "supervise": "supervision-review"}[record.mode]
    console.print(f"  safetycheck report {shown(path)} --doc {doc} --review {review.id}", markup=False,
                  soft_wrap=True)

