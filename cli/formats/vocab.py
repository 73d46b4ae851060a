"""`yigai vocab` output: topics, instruments and aliases as a table, JSON, or YAML in data/vocabulary.yaml's format."""

from __future__ import annotations

import json

import yaml
from rich.table import Table
from rich.text import Text

from yigai.vocab import Vocabulary


def as_object(vocabulary: Vocabulary) -> dict[str, object]:
    """The vocabulary in data/vocabulary.yaml's shape: topics -> instruments -> aliases (and patterns)."""
    topics = []
    for topic in vocabulary.topics:
        instruments = []
        for i in vocabulary.instruments:
            if i.topic == topic:
                entry: dict[str, object] = {"name": i.name, "aliases": list(i.aliases)}
                if i.patterns:
                    entry["patterns"] = list(i.patterns)
                instruments.append(entry)
        topics.append({"topic": topic, "instruments": instruments})
    return {"topics": topics}


def as_json(vocabulary: Vocabulary) -> str:
    return json.dumps(as_object(vocabulary), ensure_ascii=False, indent=2)


def as_yaml(vocabulary: Vocabulary) -> str:
    return yaml.safe_dump(as_object(vocabulary), allow_unicode=True, sort_keys=False, default_flow_style=None, width=110)


def as_table(vocabulary: Vocabulary) -> Table:
    table = Table(title="the reform vocabulary: --require takes a topic or any instrument or alias", title_justify="left")
    table.add_column("topic", style="cyan", no_wrap=True)
    table.add_column("instrument", style="bold", no_wrap=True)
    table.add_column("aliases", overflow="fold")
    for topic in vocabulary.topics:
        first = True
        for i in vocabulary.instruments:
            if i.topic != topic:
                continue
            aliases = [a for a in i.aliases if a != i.name] + [f"/{p}/" for p in i.patterns]
            table.add_row(Text(topic if first else ""), Text(i.name), Text("、".join(aliases)))
            first = False
    return table


FORMATTERS = {"json": as_json, "yaml": as_yaml}
