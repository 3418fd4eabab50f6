"""Getting data in: templates, file reading, validation, dry run and import.

The flow is always :func:`service.check` (open the file, then validate every
row: the dry run, nothing written) → :func:`apply.apply` (every accepted row
in one transaction, or nothing). :mod:`workbook` writes templates, exports and
rejected rows; :mod:`boundaries` replaces an official boundary layer;
:mod:`cellsafe` keeps formula-like text inert in every file the project writes.
"""
