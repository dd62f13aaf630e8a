"""Synthetic account plans for the benchmark: N valid, realistic plans from a fixed seed.

`generate(out, n)` writes a full project copy into `out` (mkdocs.yml, hooks/, theme_overrides/
and the project's non-plan pages such as the dashboard) plus N generated plans in its docs
folder, so `accountplans check` and `mkdocs build` run there exactly as in the real project.

The plans look like the team's: Dutch and English, 2-6 contacts with an org chart, 1-4
products with seasonality, quarterly evaluations, a SWOT table in some, about 25 plans per
account manager, a few drafts and archived plans. Every plan passes `accountplans check`
without errors or warnings (tests/test_bench_generate.py), so a build measures the work of a
clean portfolio and never stops early.

It also writes `plans/actuals.csv` as a CRM exports it (`write_actuals`, shared with
bench/generate_other.py): a row per plan, product and month, for every month of the year
before the plan year and the plan year's months up to the benchmark's "today" (February),
amounts near each target's monthly share, a few months split over two invoices; drafts
(new customers) have no rows. About 35,000 rows at 1000 plans. Its random numbers come from
their own generator, so the plans are the same with or without it.

Usage: python bench/generate.py OUT_DIR N [--seed S] [--no-actuals]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261127
PROJECT_PARTS = ("hooks", "theme_overrides")
PLAN_YEAR = 2027
#: The last month of the plan year in actuals.csv: bench/run.py builds for 2027-02-15.
ACTUALS_THROUGH_MONTH = 2

_FIRST = ("Anna", "Pieter", "Sanne", "Kees", "Ilse", "Jan", "Fatima", "Daan", "Lotte", "Mehmet",
          "Sophie", "Bram", "Noor", "Thijs", "Emma", "Ruben", "Julia", "Lars", "Yara", "Sem",
          "Eva", "Milan", "Lieke", "Joris", "Priya", "Tom", "Maud", "Youssef", "Fleur", "Wouter")
_LAST = ("Bakker", "Jansen", "de Vries", "Mulder", "de Boer", "Visser", "Smit", "Meijer",
         "de Jong", "van Dijk", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
         "Brouwer", "de Wit", "Dijkstra", "Koster", "Yilmaz", "El Amrani", "Kramer", "Prins",
         "van der Berg", "Schouten", "Verhoeven", "Kok", "Huisman", "Postma")
_NAME_HEAD = ("Bakkerij", "Transport", "Zorggroep", "Installatiebedrijf", "Drukkerij",
              "Tuincentrum", "Bouwbedrijf", "Garage", "Accountantskantoor", "Hotel",
              "Brouwerij", "Kinderopvang", "Logistiek", "Machinefabriek", "Advocatenkantoor",
              "Zuivel", "Scheepswerf", "Apotheek", "Autobedrijf", "Uitgeverij")
_NAME_TAIL = ("B.V.", "N.V.", "Groep", "& Zn.", "Holding", "Nederland", "Benelux", "")
_PLACES = ("Utrecht", "Houten", "Zwolle", "Eindhoven", "Groningen", "Leiden", "Delft", "Breda",
           "Tilburg", "Arnhem", "Nijmegen", "Haarlem", "Almere", "Amersfoort", "Deventer",
           "Enschede", "Maastricht", "Venlo", "Assen", "Leeuwarden")
_INDUSTRIES = ("Food retail", "Logistics", "Healthcare", "Construction", "Printing",
               "Hospitality", "Manufacturing", "Professional services", "Automotive", "Publishing",
               "Education", "Energy")
_PRODUCTS = ("Cloud ERP licences", "Training", "Support contract", "Kassasystemen",
             "Data platform", "Implementation", "Managed hosting", "Field service app",
             "Consultancy", "Hardware", "Security audit", "Webshop module")
_ROLES = {
    "en": ("Managing director", "CFO", "Head of IT", "Operations manager", "Purchasing lead",
           "HR director", "Store manager", "CTO"),
    "nl": ("Algemeen directeur", "CFO", "Hoofd IT", "Bedrijfsleider", "Inkoper",
           "HR-directeur", "Filiaalmanager", "Hoofd financiën"),
}
_SECTIONS = {
    "en": ("Organisation", "Market position", "Customer goals", "SWOT", "Our goals", "Timeline"),
    "nl": ("Organisatie", "Marktpositie", "Doelen van de klant", "SWOT", "Onze doelen",
           "Tijdsplanning"),
}
_SENTENCES = {
    "en": (
        "The company has {fte} employees across {sites} sites around {place}.",
        "The second generation took over in {since} and wants to centralise purchasing.",
        "Margins are under pressure from rising costs, and competitors invest in online ordering.",
        "Their customers are mostly regional businesses that value short delivery times.",
        "The board wants one system for finance, stock and planning before the end of {year}.",
        "A referral from a similar customer opened the first conversation.",
        "The head of IT is cautious after a failed project with another supplier.",
        "We are the only supplier with a local service team in {place}.",
        "Reduce stock losses by {pct}% and cut month-end closing from ten to three days.",
        "Open a second location in {place} and hire {hires} people.",
        "Phase one covers finance and purchasing; phase two the shop floor.",
        "Train the key users first, so that the sites adopt the system themselves.",
    ),
    "nl": (
        "Het bedrijf heeft {fte} medewerkers op {sites} locaties rond {place}.",
        "De tweede generatie heeft in {since} de leiding overgenomen en wil de inkoop centraliseren.",
        "De marges staan onder druk door stijgende kosten; concurrenten investeren in online bestellen.",
        "Hun klanten zijn vooral regionale bedrijven die korte levertijden waarderen.",
        "De directie wil vóór eind {year} één systeem voor financiën, voorraad en planning.",
        "Een referentie bij een vergelijkbare klant opende het eerste gesprek.",
        "Het hoofd IT is voorzichtig na een mislukt project met een andere leverancier.",
        "Wij zijn de enige leverancier met een eigen serviceteam in {place}.",
        "Voorraadverlies met {pct}% terugbrengen en de maandafsluiting van tien naar drie dagen.",
        "Een tweede vestiging openen in {place} en {hires} mensen aannemen.",
        "Fase één omvat financiën en inkoop; fase twee de werkvloer.",
        "Eerst de key users trainen, zodat de locaties het systeem zelf omarmen.",
    ),
}
_SWOT = {
    "en": ("| | Positive | Negative |\n|---|---|---|\n"
           "| **Internal** | Strong relation with the {role} | {weak} is sceptical |\n"
           "| **External** | Centralisation is on the board's agenda | A competitor is cheaper |\n"),
    "nl": ("| | Positief | Negatief |\n|---|---|---|\n"
           "| **Intern** | Sterke relatie met de {role} | {weak} is sceptisch |\n"
           "| **Extern** | Centralisatie staat op de agenda | Een concurrent is goedkoper |\n"),
}
_MILESTONES = {
    "en": {"contact": "Kick-off with {who}", "visit": "Site visit in {place}",
           "deal": "Contract for {product}", "training": "Train-the-trainer for key users",
           "evaluation": "Quarterly evaluation Q{q}", "other": "Reference call"},
    "nl": {"contact": "Kick-off met {who}", "visit": "Bezoek aan de vestiging in {place}",
           "deal": "Contract {product}", "training": "Train-de-trainer voor key users",
           "evaluation": "Kwartaalevaluatie Q{q}", "other": "Referentiegesprek"},
}
_QUARTER_END_MONTH = (3, 6, 9, 12)


def _yaml_text(value: str) -> str:
    """A double-quoted YAML string: safe for names with '&', ':' or 'NO'."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace(".", "").replace("&", "")).strip("-")


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def owners_for(n: int, rng: random.Random) -> list[str]:
    """About 25 accounts per account manager, at least 3 managers, all names distinct."""
    wanted = max(3, round(n / 25))
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < wanted:
        name = _person(rng)
        if name in seen:
            name = f"{name} {len(names) + 1}"
        seen.add(name)
        names.append(name)
    return names


def _sentences(rng: random.Random, lang: str, count: int, facts: dict[str, object]) -> str:
    picked = rng.sample(_SENTENCES[lang], count)
    return " ".join(s.format(**facts) for s in picked)


def plan_text(index: int, account: str, owner: str, rng: random.Random) -> str:
    """One plan: front-matter that passes every rule, and the six sections."""
    lang = "nl" if rng.random() < 0.6 else "en"
    status = "active"
    roll = rng.random()
    if roll < 0.03:
        status = "archived"
    elif roll < 0.05:
        status = "draft"
    place = rng.choice(_PLACES)
    fte = rng.randint(12, 4000)
    facts: dict[str, object] = {
        "fte": fte, "sites": rng.randint(1, 40), "place": place, "since": rng.randint(2015, 2026),
        "year": PLAN_YEAR, "pct": rng.randint(5, 30), "hires": rng.randint(5, 60),
    }

    contacts: list[str] = []
    people: list[str] = []
    deciders: list[str] = []
    used: set[str] = set()
    for i in range(rng.randint(2, 6)):
        name = _person(rng)
        while name in used:
            name = _person(rng)
        used.add(name)
        lines = [f"  - name: {_yaml_text(name)}", f"    role: {_yaml_text(rng.choice(_ROLES[lang]))}"]
        if i == 0 or rng.random() < 0.2:
            lines.append("    decision_maker: true")
            deciders.append(name)
        lines.append(f"    influence: {rng.choice(('low', 'medium', 'high'))}")
        lines.append(f"    attitude: {rng.choice(('champion', 'supporter', 'neutral', 'critic'))}")
        if i > 0:
            lines.append(f"    reports_to: {_yaml_text(people[0])}")
        people.append(name)
        contacts.append("\n".join(lines))

    products = rng.sample(_PRODUCTS, rng.randint(1, 4))
    targets = []
    for product in products:
        year1 = rng.randint(2, 400) * 500
        year3 = year1 * rng.choice((1, 2, 3)) + rng.randint(0, 20) * 250
        cents = f".{rng.randint(0, 99):02d}" if rng.random() < 0.1 else ""
        targets.append(f"  - product: {_yaml_text(product)}\n    year1: {year1}{cents}\n"
                       f"    year3: {year3}")
    seasonality = ", ".join(str(rng.randint(3, 12)) for _ in range(12))

    # Every decision maker has a milestone (AP307): the first extra milestones are with the
    # deciders after the first, any left over join an evaluation. Chosen without drawing
    # another random number, so the other plans' text stays as it was.
    unmet = deciders[1:]
    evaluations: list[tuple[str, str]] = []
    for q, month in enumerate(_QUARTER_END_MONTH, start=1):
        day = rng.randint(10, 28)
        evaluations.append((f"{PLAN_YEAR}-{month:02d}-{day:02d}",
                            _MILESTONES[lang]["evaluation"].format(q=q)))
    milestones: list[tuple[str, str]] = []
    extra_count = rng.randint(2, 6)
    with_extra = unmet[:extra_count]
    with_evaluation = [people[0], *unmet[extra_count:]]
    for q, (when, title) in enumerate(evaluations):
        who = with_evaluation[q] if q < len(with_evaluation) else people[0]
        milestones.append((when, f"  - date: {when}\n    title: {_yaml_text(title)}\n"
                                 f"    kind: evaluation\n    with: {_yaml_text(who)}"))
    for j in range(extra_count):
        kind = rng.choice(("contact", "visit", "deal", "training", "other"))
        when = f"{PLAN_YEAR}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        who = rng.choice(people)
        if j < len(with_extra):
            who = with_extra[j]
        title = _MILESTONES[lang][kind].format(who=who, place=place, product=rng.choice(products))
        done = "\n    done: true" if when < f"{PLAN_YEAR}-02-01" and rng.random() < 0.5 else ""
        milestones.append((when, f"  - date: {when}\n    title: {_yaml_text(title)}\n"
                                 f"    kind: {kind}\n    with: {_yaml_text(who)}{done}"))
    milestones.sort()
    tags = sorted({rng.choice(("retail", "logistics", "care", "industry", "services")),
                   rng.choice(("tier-a", "tier-b", "tier-c"))})

    reviewed = f"2026-{rng.randint(6, 11):02d}-{rng.randint(1, 28):02d}"
    front = "\n".join((
        "---",
        f"account: {_yaml_text(account)}",
        f"owner: {_yaml_text(owner)}",
        f"year: {PLAN_YEAR}",
        f"reviewed: {reviewed}",
        f"status: {status}",
        f"language: {lang}",
        "currency: EUR",
        "organisation:",
        f"  industry: {_yaml_text(rng.choice(_INDUSTRIES))}",
        f"  fte: {fte}",
        f"  website: https://{_slug(account)}.example",
        f"market_position: {rng.choice(('leader', 'runner-up', 'challenger', 'niche', 'start-up'))}",
        "contacts:",
        *contacts,
        "targets:",
        *targets,
        f"seasonality: [{seasonality}]",
        f"visits_per_year: {rng.choice((4, 6, 8, 12))}",
        "milestones:",
        *(text for _, text in milestones),
        f"tags: [{', '.join(tags)}]",
        "---",
    ))
    titles = _SECTIONS[lang]
    swot = _SWOT[lang].format(role=rng.choice(_ROLES[lang]), weak=people[-1])
    body = "\n".join((
        f"# {account}",
        "",
        f"## {titles[0]}",
        "",
        _sentences(rng, lang, 3, facts),
        "",
        f"## {titles[1]}",
        "",
        _sentences(rng, lang, 2, facts),
        "",
        f"## {titles[2]}",
        "",
        *(f"- {s}" for s in _sentences(rng, lang, 3, facts).split(". ")),
        "",
        *((f"## {titles[3]}", "", swot) if rng.random() < 0.7 else ()),
        f"## {titles[4]}",
        "",
        _sentences(rng, lang, 2, facts),
        "",
        "{{ targets_table() }}",
        "",
        f"## {titles[5]}",
        "",
        "{{ milestones_table() }}",
        "",
    ))
    return front + "\n\n" + body


def account_names(n: int, rng: random.Random) -> list[str]:
    """N distinct customer names, e.g. 'Drukkerij Visser Zwolle B.V.'."""
    names: list[str] = []
    seen: set[str] = set()
    slugs: set[str] = set()
    while len(names) < n:
        parts = [rng.choice(_NAME_HEAD), rng.choice(_LAST).split()[-1]]
        if rng.random() < 0.5:
            parts.append(rng.choice(_PLACES))
        tail = rng.choice(_NAME_TAIL)
        if tail:
            parts.append(tail)
        name = " ".join(parts)
        if name in seen or _slug(name) in slugs:
            name = f"{name} {len(names) + 1}"
        seen.add(name)
        slugs.add(_slug(name))
        names.append(name)
    return names


def _is_plan_page(path: Path) -> bool:
    """A page is a plan when its front-matter has `account:` (README, "Adopt it for your team")."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if not text.startswith("---"):
        return False
    end = text.find("\n---", 3)
    front = text[: end if end > 0 else len(text)]
    return re.search(r"^account\s*:", front, re.MULTILINE) is not None


def copy_project(out: Path, root: Path = ROOT) -> Path:
    """mkdocs.yml, hooks/, theme_overrides/ and the docs folder without its plans; the docs dir."""
    out.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".*")
    for part in PROJECT_PARTS:
        if (root / part).is_dir():
            shutil.copytree(root / part, out / part, ignore=ignore, dirs_exist_ok=True)
    shutil.copy(root / "mkdocs.yml", out / "mkdocs.yml")
    docs = out / "plans"
    for src in sorted((root / "plans").rglob("*")):
        rel = src.relative_to(root / "plans")
        if any(part.startswith(".") for part in rel.parts) or src.is_dir():
            continue
        # Real plans would clash with the generated ones (AP304), and actuals name real
        # accounts (AP502): leave both out.
        if src.suffix == ".md" and _is_plan_page(src):
            continue
        if rel.as_posix() == "actuals.csv":
            continue
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, docs / rel)
    docs.mkdir(exist_ok=True)
    return docs


def _front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}
    data = yaml.load(text[4:text.find("\n---", 4)], Loader=yaml.CSafeLoader)
    return data if isinstance(data, dict) else {}


def actuals_rows(docs: Path, seed: int) -> list[tuple[str, str, str, str]]:
    """(account, product, month, amount) for every non-draft plan under `docs`, sorted."""
    rng = random.Random(seed + 1)
    months = [f"{PLAN_YEAR - 1}-{m:02d}" for m in range(1, 13)]
    months += [f"{PLAN_YEAR}-{m:02d}" for m in range(1, ACTUALS_THROUGH_MONTH + 1)]
    rows: list[tuple[str, str, str, str]] = []
    for path in sorted(docs.rglob("*.md")):
        plan = _front_matter(path)
        if "account" not in plan or plan.get("status") == "draft":
            continue
        weights = plan.get("seasonality") or [1] * 12
        assert isinstance(weights, list)
        for target in plan.get("targets") or []:  # type: ignore[union-attr]
            year1 = Decimal(str(target["year1"]))
            for month in months:
                share = Decimal(weights[int(month[5:]) - 1]) / sum(Decimal(w) for w in weights)
                level = Decimal("0.8") if month < f"{PLAN_YEAR}" else Decimal(1)
                amount = (year1 * share * level * Decimal(rng.randint(60, 125)) / 100).quantize(
                    Decimal("0.01"))
                # A month now and then is invoiced in two parts (the reader adds them up).
                parts = [amount] if rng.random() > 0.05 else [amount - amount // 3, amount // 3]
                rows += [(str(plan["account"]), str(target["product"]), month, str(part))
                         for part in parts]
    return rows


def write_actuals(docs: Path, seed: int) -> Path:
    """plans/actuals.csv for the plans under `docs`, as a CRM export (see the module doc)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("account", "product", "month", "amount"))
    writer.writerows(actuals_rows(docs, seed))
    path = docs / "actuals.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def generate(out: Path, n: int, seed: int = SEED, root: Path = ROOT, *, actuals: bool = True) -> Path:
    """Write the project copy with N plans (and actuals.csv) into `out`; return the docs folder."""
    docs = copy_project(out, root)
    rng = random.Random(seed)
    owners = owners_for(n, rng)
    for index, account in enumerate(account_names(n, rng)):
        owner = owners[index % len(owners)] if rng.random() < 0.8 else rng.choice(owners)
        text = plan_text(index, account, owner, rng)
        (docs / f"{_slug(account)}.md").write_text(text, encoding="utf-8")
    if actuals:
        write_actuals(docs, seed)
    return docs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="folder to write the project copy into")
    parser.add_argument("n", type=int, help="number of plans")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-actuals", action="store_true", help="write no plans/actuals.csv")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        print(f"generate: {args.out} is not empty; give a new folder", file=sys.stderr)
        return 2
    docs = generate(args.out, args.n, args.seed, actuals=not args.no_actuals)
    print(docs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
