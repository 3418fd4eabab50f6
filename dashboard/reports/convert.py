"""Office documents to PDF (LibreOffice headless) and PDF to PNG pages or text (Poppler).

Each conversion runs in its own temporary directory with its own LibreOffice
profile (``-env:UserInstallation``), so parallel conversions do not clash over
the profile lock. The programs are Debian's ``libreoffice-writer-nogui`` /
``libreoffice-impress-nogui`` (``soffice``) and ``poppler-utils``
(``pdftoppm``, ``pdftotext``); a missing one raises :class:`DomainError`.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from dashboard.domain import DomainError
from dashboard.i18n import t

#: Seconds LibreOffice may take for one document.
TIMEOUT = 120
SUFFIXES = (".docx", ".pptx")


def soffice_path() -> str | None:
    """The LibreOffice program on PATH (``soffice`` or ``libreoffice``), if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(data: bytes, suffix: str) -> bytes:
    """Convert .docx or .pptx bytes to PDF bytes with LibreOffice headless.

    Parameters
    ----------
    data : bytes
        The document.
    suffix : str
        Its type: ``".docx"`` or ``".pptx"`` (the dot is optional).

    Raises
    ------
    DomainError
        Unknown type, LibreOffice missing, too slow (:data:`TIMEOUT`), or failing.
    """
    suffix = "." + suffix.lower().lstrip(".")
    if suffix not in SUFFIXES:
        raise DomainError(t("doc.convert.bad_suffix", suffix=suffix))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        # LibreOffice would import anything else as plain text and "succeed".
        raise DomainError(t("doc.convert.not_office", suffix=suffix))
    program = soffice_path()
    if program is None:
        raise DomainError(t("doc.convert.no_soffice"))
    with tempfile.TemporaryDirectory(prefix="hotspot-pdf-") as tmp:
        work = Path(tmp)
        source = work / f"document{suffix}"
        source.write_bytes(data)
        profile = (work / "profile").as_uri()
        command = [
            program,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        env = {**os.environ, "HOME": str(work)}
        try:
            result = subprocess.run(command, capture_output=True, timeout=TIMEOUT, env=env, check=False)
        except subprocess.TimeoutExpired as exc:
            raise DomainError(t("doc.convert.timeout", seconds=TIMEOUT)) from exc
        target = work / "document.pdf"
        if result.returncode != 0 or not target.exists():
            detail = _detail(result) or f"mã lỗi {result.returncode}"
            raise DomainError(t("doc.convert.failed", detail=detail))
        return target.read_bytes()


def pdf_pages_png(pdf: bytes, dpi: int = 80) -> list[bytes]:
    """Each page of a PDF as PNG bytes, in page order (``pdftoppm -png``)."""
    with tempfile.TemporaryDirectory(prefix="hotspot-png-") as tmp:
        work = Path(tmp)
        source = work / "document.pdf"
        source.write_bytes(pdf)
        _poppler("pdftoppm", ["-png", "-r", str(int(dpi)), str(source), str(work / "page")])
        pages = sorted(work.glob("page-*.png"), key=lambda p: int(re.search(r"-(\d+)\.png$", p.name)[1]))
        return [page.read_bytes() for page in pages]


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF, laid out as on the page (``pdftotext -layout``); pages end with a form feed."""
    with tempfile.TemporaryDirectory(prefix="hotspot-txt-") as tmp:
        source = Path(tmp) / "document.pdf"
        source.write_bytes(pdf)
        result = _poppler("pdftotext", ["-layout", "-enc", "UTF-8", str(source), "-"])
        return result.stdout.decode("utf-8")


def _poppler(name: str, arguments: list[str]) -> subprocess.CompletedProcess:
    program = shutil.which(name)
    if program is None:
        raise DomainError(t("doc.convert.no_poppler", command=name))
    try:
        result = subprocess.run([program, *arguments], capture_output=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise DomainError(t("doc.convert.tool_failed", command=name, detail=f"quá {TIMEOUT} giây")) from exc
    if result.returncode != 0:
        detail = _detail(result) or f"mã lỗi {result.returncode}"
        raise DomainError(t("doc.convert.tool_failed", command=name, detail=detail))
    return result


def _detail(result: subprocess.CompletedProcess) -> str:
    """The last lines of a program's error output."""
    text = (result.stderr or b"").decode("utf-8", "replace").strip()
    return " ".join(text.splitlines()[-3:])[:500]
