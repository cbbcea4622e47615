"""The brand's pictures for the PDF, decoded once per process, not once per document.

A worker renders many documents of one brand (and copies of a logo under other brands): each distinct file
content is read, decoded, split into colour and transparency, and compressed the way reportlab writes it,
once. Each document still gets its own image objects, with the same bytes as before. The few pictures kept
are the ones used last (a brand's logo and its partners' logos), so memory does not grow with the brands.
reportlab names a picture in a PDF by an MD5 digest of all its pixels, taken each time it is drawn (about
2 ms a logo); a kept picture's name is taken once for each mask it is drawn with.
"""

from __future__ import annotations

import copy
import hashlib
import io
from pathlib import Path

from briefpack.render import rlsafe  # noqa: F401  (first: fixes reportlab's configuration)
from briefpack.memo import Memo

from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfbase import pdfdoc  # noqa: E402
from reportlab.pdfgen import canvas as rl_canvas  # noqa: E402

KEEP = 12
"""Distinct pictures kept decoded: a brand's logo and partner logos, and a few more."""


class SharedImage(ImageReader):
    """A picture decoded once, drawn in many documents; reportlab's image stream for it is made once too."""

    def __init__(self, path: str, data: bytes) -> None:
        """The picture in *data*, the bytes of the file *path* (which names it in reportlab's messages)."""
        source = io.BytesIO(data)
        source.name = path
        super().__init__(source)
        self.loaded: dict[str, dict[str, object]] = {}
        """What PDFImageXObject.loadImageFromSRC made of this picture, for each mask it was drawn with."""
        self.names: dict[str, str] = {}
        """The name Canvas.drawImage gave this picture, for each mask it was drawn with."""


_pictures: Memo[SharedImage] = Memo(KEEP)
"""sha256 of a picture file's bytes -> the picture decoded."""


def picture(path: object) -> ImageReader:
    """The picture in file *path*, decoded once in this process for each distinct content: the bytes read once,
    known by their digest and decoded from those same bytes (a file replaced meanwhile is never kept under the
    digest of the one it replaced)."""
    data = Path(str(path)).read_bytes()
    return _pictures.recall(hashlib.sha256(data).hexdigest(), lambda: SharedImage(str(path), data))


_load = pdfdoc.PDFImageXObject.loadImageFromSRC


def _load_once(self: pdfdoc.PDFImageXObject, im: ImageReader) -> None:
    """reportlab's own loading (colour data compressed, transparency as a soft mask), once per SharedImage."""
    if not isinstance(im, SharedImage):
        _load(self, im)
        return
    mask = repr(self.mask)
    made = im.loaded.get(mask)
    if made is None:
        _load(self, im)
        made = im.loaded[mask] = {k: copy.copy(v) if k == "_smask" else v for k, v in vars(self).items()
                                  if k != "name"}
    for k, v in made.items():
        # The soft mask is an object of the document it is drawn in: each document gets its own copy.
        setattr(self, k, copy.copy(v) if k == "_smask" else v)


pdfdoc.PDFImageXObject.loadImageFromSRC = _load_once  # type: ignore[method-assign]


_draw_image = rl_canvas.Canvas.drawImage
_digester = rl_canvas._digester


def _draw_image_named_once(self: rl_canvas.Canvas, image: object, *args: object, **kwargs: object) -> object:
    """reportlab's drawImage; a SharedImage's name (the digest of its pixels and mask) is taken once.

    drawImage takes the digest of the picture's pixels and its mask's (or the mask's text) with canvas.py's
    _digester, before anything else it does: for a SharedImage, that answer is recorded the first time and
    given back after, so the name stays whatever reportlab makes it.
    """
    if not isinstance(image, SharedImage):
        return _draw_image(self, image, *args, **kwargs)
    mask = kwargs["mask"] if "mask" in kwargs else args[4] if len(args) > 4 else None
    key = repr(mask)

    def digest(data: bytes) -> str:
        if key not in image.names:
            image.names[key] = _digester(data)
        return image.names[key]

    rl_canvas._digester = digest
    try:
        return _draw_image(self, image, *args, **kwargs)
    finally:
        rl_canvas._digester = _digester


rl_canvas.Canvas.drawImage = _draw_image_named_once  # type: ignore[method-assign]
