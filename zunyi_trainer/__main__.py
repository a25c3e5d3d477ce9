"""``python -m zunyi_trainer`` and the ``zunyi-trainer`` entry point."""

from zunyi_trainer.cli import main

if __name__ == "__main__":
    main()
