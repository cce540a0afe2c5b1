from __future__ import annotations

from shopify_app.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
