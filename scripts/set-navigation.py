#!/usr/bin/env python3
"""Writes every notebook's navigation line (first line of the first cell, and the last cell)
from the notebooks that exist, in file-name order: previous chapter, the index, next chapter.

Run it after adding or renaming a notebook:  python3 scripts/set-navigation.py
`--check` changes nothing and exits 1 naming each notebook whose navigation is out of date
(test/notebooks.test.ts asserts the same rule).
"""
import json
import pathlib
import sys

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent / 'notebooks'

# The short title each chapter is linked by. A new notebook adds its line here.
SHORT_TITLES = {
    '00': 'Getting started',
    '01': 'Leader–follower',
    '02': 'Multi-leader conflicts',
    '03': 'Eventual consistency and CRDTs',
    '04': 'Synchronous replication and 2PC',
    '05': 'Banking ACID',
    '06': 'Flash-sale inventory',
    '07': 'Strategy benchmarks',
    '08': 'Data synchronisation',
    '09': 'Lag monitoring',
    '10': 'Auto-scaling',
    '11': 'Real PostgreSQL',
    '12': 'Real engines',
}
INDEX = '[Index (README)](../README.md#notebooks)'


def link(path: pathlib.Path, arrow_before: bool) -> str:
    number = path.name[:2]
    if number not in SHORT_TITLES:
        sys.exit(f'scripts/set-navigation.py: no short title for {path.name}; add "{number}" to SHORT_TITLES')
    label = f'{number} · {SHORT_TITLES[number]}'
    return f'[← {label}]({path.name})' if arrow_before else f'[{label} →]({path.name})'


def navigation_line(order: list, i: int) -> str:
    parts = []
    if i > 0:
        parts.append(link(order[i - 1], True))
    parts.append(INDEX)
    if i + 1 < len(order):
        parts.append(link(order[i + 1], False))
    line = ' | '.join(parts)
    # The first notebook opens with the episode's name (its only "previous" is the index).
    return f'**Episode 41 · Database Replication Strategies** — {line}' if i == 0 else line


def source_text(cell) -> str:
    return ''.join(cell['source']) if isinstance(cell['source'], list) else cell['source']


def set_source(cell, text: str) -> None:
    lines = text.split('\n')
    cell['source'] = [line + '\n' for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def main() -> int:
    check = '--check' in sys.argv[1:]
    order = sorted(NOTEBOOKS.glob('[0-9][0-9]-*.ipynb'))
    stale = []
    for i, path in enumerate(order):
        notebook = json.loads(path.read_text(encoding='utf8'))
        cells = notebook['cells']
        want = navigation_line(order, i)
        first = source_text(cells[0]).split('\n')
        last = source_text(cells[-1]).strip()
        if first[0] == want and last == want:
            continue
        stale.append(path.name)
        if check:
            continue
        first[0] = want
        set_source(cells[0], '\n'.join(first))
        if cells[-1]['cell_type'] == 'markdown' and ('README.md#notebooks' in last) and '\n' not in last:
            set_source(cells[-1], want)
        else:
            cells.append({'cell_type': 'markdown', 'metadata': {}, 'source': [want]})
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + '\n', encoding='utf8')
    if check and stale:
        print('navigation out of date in: ' + ', '.join(stale) + ' (run python3 scripts/set-navigation.py)')
        return 1
    if not check:
        print('navigation rewritten in: ' + (', '.join(stale) if stale else 'none'))
    return 0


if __name__ == '__main__':
    sys.exit(main())
