"""Tables whose Vietnamese cell texts are made once per process where their data allows.

A table reads the Vietnamese way (2.740 and 83,2; dd/mm/yyyy) through a pandas ``Styler``
(:func:`dashboard.ui.components.show_table`), and Streamlit turns a ``Styler`` into every
cell's display text on every run: for the register's 5,000 hotspots, over a second of the
server's CPU per officer and rerun. :func:`held_styler` makes a ``Styler`` once for its
data, shared by every session (held with the other derived results,
:func:`dashboard.ui.data.held`): Streamlit's conversion of it (the styler part of the table's
element: its cells' display texts, styles and caption) is made the first time it is drawn and
copied on every later run; the table's values, which sorting uses, are sent as for any table.

To do that, Streamlit's ``marshall_styler`` is replaced, once, by one that passes every
other ``Styler`` through.
"""

from __future__ import annotations

import threading
import weakref

import pandas as pd
from pandas.io.formats.style import Styler
from streamlit.elements import arrow
from streamlit.proto.ArrowData_pb2 import ArrowData


class _Conversion:
    __slots__ = ("lock", "proto")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.proto: ArrowData | None = None


#: The held ``Styler`` objects (Streamlit takes only a ``Styler`` itself, no subclass of it).
_HELD: weakref.WeakKeyDictionary[Styler, _Conversion] = weakref.WeakKeyDictionary()
_HELD_LOCK = threading.Lock()


def held_styler(frame: pd.DataFrame, uuid: str) -> Styler:
    """A ``Styler`` of ``frame`` to be drawn the same way by every session: nobody may change
    it once made. Its ``uuid`` is set (Streamlit would otherwise take one from the element's
    place)."""
    styler = frame.style
    styler.set_uuid(uuid)
    with _HELD_LOCK:
        _HELD[styler] = _Conversion()
    return styler


def is_held(styler: object) -> bool:
    with _HELD_LOCK:
        return isinstance(styler, Styler) and styler in _HELD


def _marshall_styler(proto: ArrowData, styler: Styler, default_uuid: str) -> None:
    with _HELD_LOCK:
        conversion = _HELD.get(styler) if isinstance(styler, Styler) else None
    if conversion is None:
        _MARSHALL(proto, styler, default_uuid)
        return
    with conversion.lock:  # two sessions drawing it first at once: converted once
        if conversion.proto is None:
            done = ArrowData()
            _MARSHALL(done, styler, default_uuid)
            conversion.proto = done
    proto.styler.CopyFrom(conversion.proto.styler)


_MARSHALL = getattr(arrow.marshall_styler, "passes_to", arrow.marshall_styler)
_marshall_styler.passes_to = _MARSHALL
arrow.marshall_styler = _marshall_styler
