"""A second plan generator for the benchmark, with other shapes than bench/generate.py.

The project's own generator writes short plans evenly over the owners, so a build tuned on
it may be tuned to its shapes. This one writes the portfolio of another kind of team:

- all plans in one folder below the docs folder (`plans/accounts/`, `--folder`), not in the
  docs folder itself, so every plan's URL and navigation entry is one level down;
- longer prose: every section has one or two paragraphs of four to seven sentences, lists
  of goals, SWOT tables in most plans, so a plan prints close to the two A4 pages the rule
  allows (AP201);
- more milestones (10-18 besides the four quarterly evaluations, some done) and more contacts
  (5-12, in a two-level org chart, several decision makers);
- owners with very uneven plan counts (a Zipf-like draw: at 1000 plans the busiest owner has
  well over a hundred plans and many have one or two), as in a team with key-account
  managers and part-timers;
- English-first (70 %) where the project's generator is Dutch-first.

Like generate.py it writes a full project copy with `plans/actuals.csv` (a row per plan,
product and month, generate.write_actuals), and every plan passes `accountplans check`
without errors or warnings (tests/test_bench_generate.py), so a build measures a clean
portfolio.

Usage: python bench/generate_other.py OUT_DIR N [--seed S] [--folder NAME] [--no-actuals]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate as base  # bench/ is not a package: the shared vocabulary and project copy

SEED = 20261201
FOLDER = "accounts"
PLAN_YEAR = base.PLAN_YEAR

_MORE = {
    "en": (
        "Purchasing runs through a central desk that compares at least three offers for anything "
        "above fifty thousand euros.",
        "The finance team closes the books in ten working days and wants to halve that within a year.",
        "Most of their systems were built in-house over fifteen years and are known to two people only.",
        "A new operations director joined last spring and is reviewing every supplier contract.",
        "They expanded into Belgium two years ago and run that branch on a separate set of tools.",
        "Their customers increasingly order online, and the current order entry cannot keep up at peaks.",
        "The works council asked for training before any new system goes live on the shop floor.",
        "Cash flow is tight in the first quarter, so large payments are planned after April.",
        "The owner family still sits on the board and signs every contract above a quarter million.",
        "Two competitors presented last year; one was dropped on price, the other on references.",
        "Sustainability reporting becomes mandatory for them next year, and nobody owns it yet.",
        "Their IT partner is small and friendly, and worried about losing the hosting contract.",
        "The planning department works in spreadsheets that are mailed around every Monday.",
        "A pilot at one site went well; the people there now ask for the rest of the modules.",
    ),
    "nl": (
        "De inkoop loopt via een centrale afdeling die boven de vijftigduizend euro drie offertes vraagt.",
        "Financiën sluit de maand af in tien werkdagen en wil dat binnen een jaar halveren.",
        "De meeste systemen zijn in vijftien jaar zelf gebouwd en worden door twee mensen begrepen.",
        "Sinds het voorjaar is er een nieuwe operationeel directeur die alle contracten herziet.",
        "Twee jaar geleden openden ze een vestiging in België, met eigen systemen.",
        "Klanten bestellen steeds vaker online en de orderinvoer kan de pieken niet aan.",
        "De ondernemingsraad wil training voordat een nieuw systeem op de werkvloer live gaat.",
        "In het eerste kwartaal is de kasstroom krap, dus grote betalingen vallen na april.",
        "De familie zit nog in de raad van bestuur en tekent elk contract boven een kwart miljoen.",
        "Vorig jaar presenteerden twee concurrenten; één viel af op prijs, de ander op referenties.",
        "Volgend jaar wordt duurzaamheidsverslaggeving verplicht en niemand is er eigenaar van.",
        "Hun IT-partner is klein en vriendelijk, en bang het hostingcontract te verliezen.",
        "De planning werkt met spreadsheets die elke maandag rondgemaild worden.",
        "Een pilot op één locatie ging goed; de mensen daar vragen nu om de overige modules.",
    ),
}


def owners_for(n: int, rng: random.Random) -> list[str]:
    """About one owner per 15 plans (at least 3), all names distinct."""
    names: list[str] = []
    while len(names) < max(3, round(n / 15)):
        name = base._person(rng)
        names.append(name if name not in names else f"{name} {len(names) + 1}")
    return names


def owner_weights(count: int) -> list[float]:
    """Zipf-like weights (1/rank^1.1): at 1000 plans and 67 owners the busiest owner has
    about a quarter of the plans, and the last few have one to three."""
    return [1.0 / (rank ** 1.1) for rank in range(1, count + 1)]


def _paragraph(rng: random.Random, lang: str, facts: dict[str, object]) -> str:
    pool = base._SENTENCES[lang] + _MORE[lang]
    return " ".join(s.format(**facts) for s in rng.sample(pool, rng.randint(4, 7)))


def _prose(rng: random.Random, lang: str, facts: dict[str, object], most: int) -> list[str]:
    return [_paragraph(rng, lang, facts) + "\n" for _ in range(rng.randint(1, most))]


def plan_text(account: str, owner: str, rng: random.Random) -> str:
    """One long plan: many contacts and milestones, long prose, all rules passed."""
    lang = "en" if rng.random() < 0.7 else "nl"
    roll = rng.random()
    status = "archived" if roll < 0.04 else "draft" if roll < 0.07 else "active"
    place = rng.choice(base._PLACES)
    fte = rng.randint(50, 12000)
    facts: dict[str, object] = {
        "fte": fte, "sites": rng.randint(1, 60), "place": place, "since": rng.randint(2010, 2026),
        "year": PLAN_YEAR, "pct": rng.randint(5, 30), "hires": rng.randint(5, 120),
    }

    people: list[str] = []
    deciders: list[str] = []
    contacts: list[str] = []
    for i in range(rng.randint(5, 12)):
        name = base._person(rng)
        while name in people:
            name = base._person(rng)
        lines = [f"  - name: {base._yaml_text(name)}",
                 f"    role: {base._yaml_text(rng.choice(base._ROLES[lang]))}"]
        if i == 0 or rng.random() < 0.3:
            lines.append("    decision_maker: true")
            deciders.append(name)
        lines.append(f"    influence: {rng.choice(('low', 'medium', 'high'))}")
        lines.append(f"    attitude: {rng.choice(('champion', 'supporter', 'neutral', 'critic'))}")
        if i > 0:  # two levels: the first three report to the first, the rest to one of them
            boss = people[0] if i < 4 else people[rng.randint(1, 3)]
            lines.append(f"    reports_to: {base._yaml_text(boss)}")
        people.append(name)
        contacts.append("\n".join(lines))

    products = rng.sample(base._PRODUCTS, rng.randint(2, 5))
    targets = []
    for product in products:
        year1 = rng.randint(4, 1200) * 250
        year3 = year1 * rng.choice((1, 2, 2, 3, 4)) + rng.randint(0, 40) * 125
        cents = f".{rng.randint(0, 99):02d}" if rng.random() < 0.2 else ""
        targets.append(f"  - product: {base._yaml_text(product)}\n    year1: {year1}{cents}\n"
                       f"    year3: {year3}")
    seasonality = ", ".join(str(rng.randint(2, 14)) for _ in range(12))

    milestones: list[tuple[str, str]] = []
    for q, month in enumerate(base._QUARTER_END_MONTH, start=1):
        when = f"{PLAN_YEAR}-{month:02d}-{rng.randint(5, 28):02d}"
        title = base._MILESTONES[lang]["evaluation"].format(q=q)
        who = base._yaml_text(rng.choice(people[:4]))
        milestones.append((when, f"  - date: {when}\n    title: {base._yaml_text(title)}\n"
                                 f"    kind: evaluation\n    with: {who}"))
    for j in range(max(rng.randint(10, 18), len(deciders))):  # one with each decision maker (AP307)
        kind = rng.choice(("contact", "contact", "visit", "visit", "deal", "training", "other"))
        when = f"{PLAN_YEAR}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        who = deciders[j] if j < len(deciders) else rng.choice(people)
        title = base._MILESTONES[lang][kind].format(who=who, place=place, product=rng.choice(products))
        done = "\n    done: true" if when < f"{PLAN_YEAR}-02-10" and rng.random() < 0.7 else ""
        with_line = f"\n    with: {base._yaml_text(who)}" if j < len(deciders) or rng.random() < 0.85 else ""
        milestones.append((when, f"  - date: {when}\n    title: {base._yaml_text(title)}\n"
                                 f"    kind: {kind}{with_line}{done}"))
    milestones.sort()
    tags = sorted({rng.choice(("retail", "logistics", "care", "industry", "services", "public")),
                   rng.choice(("tier-a", "tier-b", "tier-c")),
                   rng.choice(("north", "south", "east", "west", "benelux"))})

    front = "\n".join((
        "---",
        f"account: {base._yaml_text(account)}",
        f"owner: {base._yaml_text(owner)}",
        f"year: {PLAN_YEAR}",
        f"reviewed: 2026-{rng.randint(8, 12):02d}-{rng.randint(1, 28):02d}",
        f"status: {status}",
        f"language: {lang}",
        "currency: EUR",
        "organisation:",
        f"  industry: {base._yaml_text(rng.choice(base._INDUSTRIES))}",
        f"  fte: {fte}",
        f"  website: https://www.{base._slug(account)}.example",
        f"market_position: {rng.choice(('leader', 'runner-up', 'challenger', 'niche', 'start-up'))}",
        "contacts:",
        *contacts,
        "targets:",
        *targets,
        f"seasonality: [{seasonality}]",
        f"visits_per_year: {rng.choice((6, 8, 10, 12, 24))}",
        "milestones:",
        *(text for _, text in milestones),
        f"tags: [{', '.join(tags)}]",
        "---",
    ))
    titles = base._SECTIONS[lang]
    swot = base._SWOT[lang].format(role=rng.choice(base._ROLES[lang]), weak=people[-1])
    goals = [f"- {s.format(**facts)}" for s in rng.sample(_MORE[lang], rng.randint(2, 4))]
    body = "\n".join((
        f"# {account}",
        "",
        f"## {titles[0]}",
        "",
        *_prose(rng, lang, facts, 2),
        f"## {titles[1]}",
        "",
        *_prose(rng, lang, facts, 1),
        f"## {titles[2]}",
        "",
        _paragraph(rng, lang, facts),
        "",
        *goals,
        "",
        *((f"## {titles[3]}", "", swot) if rng.random() < 0.85 else ()),
        f"## {titles[4]}",
        "",
        *_prose(rng, lang, facts, 1),
        "{{ targets_table() }}",
        "",
        f"## {titles[5]}",
        "",
        "{{ milestones_table() }}",
        "",
    ))
    return front + "\n\n" + body


def generate(out: Path, n: int, seed: int = SEED, root: Path = base.ROOT, *,
             folder: str = FOLDER, actuals: bool = True) -> Path:
    """Write the project copy with N plans into `out`/plans/`folder`; return the docs folder."""
    docs = base.copy_project(out, root)
    target = docs / folder
    target.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    owners = owners_for(n, rng)
    weights = owner_weights(len(owners))
    for account in base.account_names(n, rng):
        owner = rng.choices(owners, weights)[0]
        (target / f"{base._slug(account)}.md").write_text(plan_text(account, owner, rng),
                                                          encoding="utf-8")
    if actuals:
        base.write_actuals(docs, seed)
    return docs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="folder to write the project copy into")
    parser.add_argument("n", type=int, help="number of plans")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--folder", default=FOLDER, help="the plans' folder inside plans/")
    parser.add_argument("--no-actuals", action="store_true", help="write no plans/actuals.csv")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        print(f"generate_other: {args.out} is not empty; give a new folder", file=sys.stderr)
        return 2
    print(generate(args.out, args.n, args.seed, folder=args.folder, actuals=not args.no_actuals))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
