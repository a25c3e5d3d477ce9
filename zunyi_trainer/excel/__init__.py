"""Workbooks in and out: a safe, fast reader of .xlsx and CSV tables (:mod:`.reading`) and a
writer of styled register exports (:mod:`.writing`) — Chinese headers, IDs and phones as text,
real dates, frozen headers and column widths."""
