"""How fast is the consent form (issue 7)? Times rendering the consent form to a tagged PDF
(HTML from the records + WeasyPrint, PDF/UA-1, Inter and DejaVu embedded) beside the floor: a
one-line WeasyPrint document on the same machine. The ratio is printed for reference; it is no
longer a target (issue 19: it measures the amount of text more than Vern). The documents'
target is how the case summary grows with the timeline: benchmarks/bench_case_summary.py.

    .venv/bin/python benchmarks/bench_pdf.py [--repeat N]

Uses a fresh temporary SQLite database (migrated here). The first render of a process instances
Inter's weights (cached under DATA_DIR/cache/fonts); it is reported apart and not timed.

Two reference lines explain the ratio (docs/performance.md, "The consent form and the 3x
target"): one line through Vern's own pipeline (print stylesheet, embedded Inter, PDF/UA), and
the consent form's words as one unstyled paragraph (what the text alone costs WeasyPrint).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _timed(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return min(samples), statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed renders of each")
    args = parser.parse_args(argv)

    data_dir = Path(os.environ.get("VERN_DATA_DIR") or tempfile.mkdtemp(prefix="vern-bench-"))
    os.environ["VERN_DATA_DIR"] = str(data_dir)
    os.environ["VERN_SQLITE_PATH"] = str(Path(tempfile.mkdtemp(prefix="vern-bench-db-")) / "b.db")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vern.settings")
    sys.path.insert(0, str(ROOT / "src"))

    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from weasyprint import HTML

    from vern.accounts.models import Role, User
    from vern.assessments.models import Assessment, MappingMethod, RiskMapping, RiskResult
    from vern.cases.models import Case
    from vern.centres.models import Centre, PoliceDistrict
    from vern.consent.models import Consent
    from vern.core import clock
    from vern.documents import render
    from vern.rules import evaluate, load_rulebook, parse_facts

    centre = Centre.objects.create(name="Senter A", municipality="By", police_district="oslo")
    user = User.objects.create(username="bench", full_name="Bench", role=Role.ANSATT, centre=centre)
    case = Case.objects.create(centre=centre, reference="B-1", created_by=user)
    mapping = RiskMapping.objects.create(
        centre=centre, case=case, mapped_by=user, mapped_at=clock.now(),
        method=MappingMethod.GUIDANCE_QUESTIONS, result=RiskResult.YES,
    )  # fmt: skip
    book = load_rulebook()
    facts = parse_facts(
        {"risk_of_new_serious_violence": "yes", "factors": {"great_danger": True},
         "suspected_offences": ["straffeloven-271", "straffeloven-274"]},
        rulebook=book,
    )  # fmt: skip
    outcome = evaluate(facts, book)
    Assessment.objects.create(
        centre=centre, case=case, assessed_by=user, assessed_at=clock.now(), risk_mapping=mapping,
        user_participated=True, suspected_offences=list(facts.suspected_offences),
        facts=facts.to_dict(), outcome=outcome.to_dict("nb"), rulebook_id=book.id,
        rulebook_version=book.version, police_involvement=outcome.police_involvement,
        next_step=outcome.next_step, next_reassessment_on=clock.today() + dt.timedelta(days=7),
    )  # fmt: skip
    consent = Consent.objects.create(
        centre=centre, case=case, police_district=PoliceDistrict.OSLO,
        recipient_unit="Familievoldskoordinator", purpose="Vurdere voldsalarm.",
        categories=["identity", "violence", "risk_mapping"], form="written",
        given_at=clock.now(), recorded_by=user,
    )  # fmt: skip
    consent = Consent.objects.select_related("case__centre").get(pk=consent.pk)
    today = clock.today()

    start = time.perf_counter()
    render.consent_form_pdf(consent, "nb", today=today)
    first = time.perf_counter() - start

    def floor() -> bytes:
        return HTML(string="<p>Vern</p>").write_pdf()  # type: ignore[no-any-return]

    def consent_form() -> bytes:
        return render.consent_form_pdf(consent, "nb", today=today)

    html = render.consent_form_html(consent, "nb", today=today)
    words = " ".join(re.sub(r"<[^>]+>", " ", html.split("<body", 1)[1]).split())

    def pdf_only() -> bytes:
        return render.html_to_pdf(html)

    def one_line_vern() -> bytes:
        return render.html_to_pdf('<html lang="nb"><title>Vern</title><p>Vern</p></html>')

    def words_only() -> bytes:
        return HTML(string=f"<p>{words}</p>").write_pdf()  # type: ignore[no-any-return]

    timings = {}
    for name, function in (
        ("floor", floor), ("form", consent_form), ("pdf", pdf_only),
        ("one_line_vern", one_line_vern), ("words", words_only),
    ):  # fmt: skip
        function()
        timings[name] = _timed(function, args.repeat)
    floor_median = timings["floor"][1]
    form_median = timings["form"][1]
    pages = len(HTML(string=html).render().pages)
    ratio = form_median / floor_median

    def line(label: str, name: str) -> None:
        best, median = timings[name]
        print(
            f"{label:<46} best {best * 1000:7.1f} ms   median {median * 1000:7.1f} ms"
            f"   {median / floor_median:5.2f}x"
        )

    print(f"first render in this process (font instancing or disk cache): {first * 1000:8.1f} ms")
    line("floor: one-line WeasyPrint document", "floor")
    line(f"consent form ({pages} pages, HTML + PDF/UA)", "form")
    line("  of which PDF from ready HTML", "pdf")
    line("reference: one line through Vern's pipeline", "one_line_vern")
    line(f"reference: the form's {len(words.split())} words, one plain <p>", "words")
    print(
        f"ratio (median) consent form / floor: {ratio:.2f}x (reference, no target: "
        "see benchmarks/bench_case_summary.py)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
