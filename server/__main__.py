"""``python -m server`` is the ``pctx`` command."""

from server.cli import main

raise SystemExit(main())
