"""Debian's headless Chromium driven by Selenium, for the report's browser test and its benchmark.

The browser and its driver are the system's (/usr/bin/chromium, /usr/bin/chromedriver); pointing Selenium
at them with a Service keeps Selenium Manager from downloading anything. The flags keep Chromium off the
network (no background connections, no component updates) and give it a fresh profile.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("YIGAI_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("YIGAI_CHROMEDRIVER", "/usr/bin/chromedriver"))
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


def missing() -> str | None:
    """Why no browser test can run here, or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not path.exists():
            return f"{path} not found (apt-get install {package})"
    return None


def require() -> None:
    """Skip the calling test where no browser can run, except under CI (CI=true), where that is a failure."""
    import pytest

    reason = missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser test cannot run under CI: {reason}")
        pytest.skip(f"no browser here: {reason}")


@contextmanager
def chromium(width: int = 1400, height: int = 1000, downloads: Path | None = None) -> Iterator[Any]:
    """A headless Chromium with a fresh profile, logging the page's console (for JS errors); files the page
    downloads go to `downloads`, without asking."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="yigai-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if downloads is not None:
        options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                                  "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def errors(driver: Any) -> list[str]:
    """What the page logged at SEVERE level: uncaught exceptions, failed loads."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def column_id(driver: Any, label: str) -> str:
    """The report's heatmap column (its data-c) whose header names `label`."""
    return driver.execute_script(  # type: ignore[no-any-return]
        "return [...document.querySelectorAll('#heatmap th.col')].find(th => th.dataset.name === arguments[0]).dataset.c",
        label)


def cell(driver: Any, column: str, national: int) -> Any:
    """The heatmap cell of national item `national` in `column`."""
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, f'#heatmap tbody tr[data-n="{national}"] td.g[data-c="{column}"]')
