"""Whether a document reads as a task list: what its items do, beside what they name.

A health notice, a vaccination reminder, a hospital's rules or a news story names 社区卫生服务中心, 家庭医生 or
疫苗 in every paragraph, as a reform plan does; what tells them apart is that a plan's items are tasks: an
action of government (推进, 建立, 完善 …) on an institution of the health system (体系, 机制, 试点, 服务 …), or, in a
report, work done on a named reform instrument (组建了两个医共体), while a notice addresses the public (请您携带…) and
a news story tells what happened. The words are data (data/tasks.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .model import Document, Item, ItemReadings
from .resources import load_data
from .vocab import Vocabulary


@dataclass(frozen=True)
class TaskLanguage:
    verbs: re.Pattern[str]
    objects: re.Pattern[str]
    results: re.Pattern[str]  # verbs of reform work done (组建, 印发 …), read with a named instrument
    public: re.Pattern[str]
    share: float  # the share of items that must be tasks
    head_length: int  # how far into an item the action and its object are looked for


@dataclass(frozen=True)
class TaskReading:
    """How many of a document's items read as government tasks, and how many address the public."""

    items: int
    tasks: int
    addressed: int
    threshold: float

    @property
    def share(self) -> float:
        return self.tasks / self.items if self.items else 0.0

    @property
    def reads_as_tasks(self) -> bool:
        return self.share >= self.threshold

    def reason(self) -> str:
        """Why the document is no task list, in one clause."""
        told = f", {self.addressed} address the public" if self.addressed else ""
        return (f"only {self.tasks} of {self.items} items say what a government body will do (推进/建立/完善 … a "
                f"system, programme or service) or did (组建/印发 … a named reform instrument){told}")


@cache
def task_language() -> TaskLanguage:
    data = load_data("tasks.yaml")
    request = re.escape(data["public_request"])
    public = "|".join([rf"(?:^|[,，。;；:：\s]){request}", *map(re.escape, data["public_address"])])
    return TaskLanguage(_any_of(data["task_verbs"]), _any_of(data["task_objects"]), _any_of(data["result_verbs"]),
                        re.compile(public), float(data["task_share"]), int(data["head_length"]))


def _any_of(words: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, words)))


def is_task(item: Item, language: TaskLanguage | None = None) -> bool:
    """Whether an item says what a government body will do: an action on an institution in its first words,
    and no word addressed to the public anywhere."""
    return _reading(item, language or task_language())[0]


def _head(item: Item, language: TaskLanguage) -> str:
    """The item's first words, where its action is told."""
    return (item.title + "。" + item.measures)[: language.head_length]


def _acts(item: Item, language: TaskLanguage) -> bool:
    """An action on an institution in the item's first words."""
    head = _head(item, language)
    return language.verbs.search(head) is not None and language.objects.search(head) is not None


def _reports_work(item: Item, language: TaskLanguage, vocabulary: Vocabulary) -> bool:
    """Work done on a named reform instrument in the item's first words (组建了两个紧密型县域医共体)."""
    head = _head(item, language)
    return language.results.search(head) is not None and any(
        m.specific for m in vocabulary.mentions_of(head, item.text, True))


def addresses_public(item: Item, language: TaskLanguage | None = None) -> bool:
    return (language or task_language()).public.search(item.text) is not None


# Local lists copy one another's items: what an item's text says (a task? addressed to the public?) is kept, per
# task language (the last one), for this many texts.
_READ: ItemReadings[tuple[bool, bool]] = ItemReadings(4096)


def _reading(item: Item, language: TaskLanguage) -> tuple[bool, bool]:
    """(is_task, addresses_public) of an item."""
    return _READ.get(item, language, lambda item: _read(item, language))


def _read(item: Item, language: TaskLanguage) -> tuple[bool, bool]:
    public = addresses_public(item, language)
    return not public and _acts(item, language), public


def read_tasks(document: Document, vocabulary: Vocabulary | None = None) -> TaskReading:
    """How far the document reads as a task list (with `vocabulary`, an item that reports reform work done on an
    instrument it names counts as a task too: a bulletin's or a summary's results)."""
    language = task_language()
    read = [_reading(item, language) for item in document.items]
    tasks = sum(task for task, _ in read)
    if vocabulary is not None:
        tasks += sum(_reports_work(item, language, vocabulary)
                     for item, (task, public) in zip(document.items, read) if not task and not public)
    return TaskReading(len(document.items), tasks, sum(public for _, public in read), language.share)
