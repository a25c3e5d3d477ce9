"""zunyi-trainer: the offline register of a private vocational training school in Zunyi.

The package outside ``gui/`` is the core: it never imports Qt, so the same code runs the
desktop app, the command line and the tests.
"""

from importlib import metadata

try:
    __version__ = metadata.version("zunyi-trainer")
except metadata.PackageNotFoundError:  # running from a source tree or a frozen build
    __version__ = "0.1.0"

APP_NAME = "zunyi-trainer"
