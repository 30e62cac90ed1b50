"""The store: the one place that touches TinyDB.

`Store` (in `store`) reads and saves alliances; what it stands on is in modules of their
own: `storage` (the TinyDB storage, composing `durable`, `lock`, `files`, `schema`,
`backups`, `codec` and `history`), `index`, `records` and `chain`.
"""

from __future__ import annotations

from .errors import DatabaseBusy, DatabaseError
from .schema import SCHEMA
from .store import Clock, Done, NotFound, Store, utc_now

__all__ = ["SCHEMA", "Clock", "DatabaseBusy", "DatabaseError", "Done", "NotFound", "Store", "utc_now"]
