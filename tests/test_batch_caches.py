"""What a batch makes once and uses again can never serve a wrong answer (no timings here)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from briefpack import fontfile
from conftest import house_fonts


class _Later:
    """time for fontfile, ten seconds on: every file written so far looks settled (see fontfile.SETTLED_NS)."""

    @staticmethod
    def time_ns() -> int:
        return time.time_ns() + 10_000_000_000


def _rewrite(path: Path, data: bytes) -> None:
    """Write *data* over *path*, making sure its changed time moves (a coarse clock may not have ticked)."""
    before = path.stat().st_ctime_ns
    for _ in range(1000):
        path.write_bytes(data)
        if path.stat().st_ctime_ns != before:
            return
        time.sleep(0.002)
    raise AssertionError("the file's changed time never moved")


def _garbled(data: bytes, table: bytes) -> bytes:
    """The font *data* with the start of *table* overwritten: the same size, the same directory."""
    tables = fontfile._tables(data)
    offset, _ = tables[table]
    return data[:offset] + b"\xa5" * 16 + data[offset + 16:]


@pytest.fixture
def font(tmp_path: Path) -> Path:
    import fontpkg_lato

    path = tmp_path / "Face.ttf"
    shutil.copy(Path(fontpkg_lato.__file__).parent / "files" / "Lato-Regular.ttf", path)
    return path


def _counting(monkeypatch) -> list[Path]:
    checked: list[Path] = []
    real = fontfile._verify

    def counted(path: Path, whole: bool) -> None:
        checked.append(path)
        real(path, whole)

    monkeypatch.setattr(fontfile, "_verify", counted)
    return checked


def test_a_settled_font_file_is_checked_once_per_process(font: Path, monkeypatch) -> None:
    monkeypatch.setattr(fontfile, "time", _Later)
    checked = _counting(monkeypatch)
    for _ in range(3):
        fontfile.verify(font)
        fontfile.verify(font, whole=False)
    assert checked == [font, font]  # once whole, once the parsed tables only


def test_a_font_file_changed_on_disk_is_checked_again(font: Path, monkeypatch) -> None:
    monkeypatch.setattr(fontfile, "time", _Later)
    checked = _counting(monkeypatch)
    fontfile.verify(font)
    good = font.read_bytes()
    _rewrite(font, _garbled(good, b"hmtx"))
    with pytest.raises(fontfile.DamagedFont, match="its 'hmtx' table is damaged"):
        fontfile.verify(font)
    # Its modified time set back as it was: the changed time still tells.
    stat = font.stat()
    _rewrite(font, good)
    os.utime(font, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    fontfile.verify(font)
    assert checked == [font, font, font]
    # A damaged version is remembered as damaged, the sound one as sound.
    with pytest.raises(fontfile.DamagedFont):
        _rewrite(font, _garbled(good, b"hmtx"))
        fontfile.verify(font)
    assert len(checked) == 4


def test_a_font_file_changed_just_now_is_never_taken_from_memory(font: Path, monkeypatch) -> None:
    """Changed twice within one tick of a coarse clock, a file can keep its times: it is read each time."""
    checked = _counting(monkeypatch)
    good = font.read_bytes()
    fontfile.verify(font)
    font.write_bytes(_garbled(good, b"hmtx"))  # perhaps within the same tick: the same times, the same size
    with pytest.raises(fontfile.DamagedFont):
        fontfile.verify(font)
    assert fontfile.characters(font) == fontfile._characters(font)
    assert checked == [font, font]


def test_what_a_font_draws_is_read_again_when_the_file_changes(font: Path, monkeypatch) -> None:
    import fontpkg_pt_sans

    monkeypatch.setattr(fontfile, "time", _Later)
    lato = fontfile.characters(font), fontfile.info(font)
    other = fontpkg_pt_sans.ROOT / "files" / "PT_Sans-Web-Bold.ttf"
    _rewrite(font, other.read_bytes())
    assert (fontfile.characters(font), fontfile.info(font)) == (fontfile._characters(other), fontfile._info(other))
    assert (fontfile.characters(font), fontfile.info(font)) != lato


def test_a_brand_sees_its_font_damaged_between_two_loads(project: Path, monkeypatch) -> None:
    """Two loads in one process (a long batch, or the tests): the second one finds the damage."""
    from briefpack.brand import load_brand
    from briefpack.errors import BriefpackError

    monkeypatch.setattr(fontfile, "time", _Later)
    house_fonts(project)
    folder = project / "branding" / "gloucestershire"
    assert load_brand(project / "branding", "gloucestershire").fonts.bold == (folder / "House-Bold.ttf").resolve()
    bold = folder / "House-Bold.ttf"
    _rewrite(bold, _garbled(bold.read_bytes(), b"glyf"))
    with pytest.raises(BriefpackError) as caught:
        load_brand(project / "branding", "gloucestershire")
    assert [p.message for p in caught.value.problems] == ["'House-Bold.ttf' is a damaged font file: its 'glyf' "
                                                          "table is damaged"]
