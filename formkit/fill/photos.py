"""The photos of a filled document: what the record says of each, and the
pictures laid out in the grid's cells (:mod:`formkit.fill.layout`).

A photo of a record is a file path, or ``{"path": ..., "caption": ...}``.
Fill embeds it as :func:`formkit.docx.images.prepare` makes it (upright,
scaled down unless ``full_resolution``), so its canonical entry, what parse
reads back, is the digest and media type of those bytes, with the caption
(normalized as a one-line value, :func:`caption`) when there is one
(:func:`formkit.fill.filler.photo_ref`). Every picture of a grid has the
cell's size; one whose shape differs from the cell's is cropped to it
(DrawingML ``a:srcRect``, ECMA-376 Part 1, 20.1.8.55: the picture keeps its
pixels, Word's "Reset picture" shows them all): never stretched, never a
hole. A tall picture loses a third of what is cut above and two thirds below
(a phone photo of people has their heads in its upper part).
"""
from __future__ import annotations

from typing import Any

from formkit.errors import FormkitError
from formkit.locate import kinds


def photo_path(photo: Any) -> str:
    """The file of a record's photo (a path, or an object with ``path``)."""
    if isinstance(photo, dict):
        if "path" not in photo:
            raise FormkitError("bad-data", "a photo to fill needs a file path (got a parsed photo reference)")
        return str(photo["path"])
    return str(photo)


def caption(photo: Any) -> str:
    """A photo's caption as parse reads it back (one line), or ""."""
    text = photo.get("caption") if isinstance(photo, dict) else None
    return kinds.value_value(text) if isinstance(text, str) else ""


_WHOLE = 100_000  # a:srcRect measures in thousandths of a percent (ST_Percentage)


def crop_to(width: int, height: int, cx: int, cy: int) -> tuple[int, int, int, int]:
    """What to cut from each side (left, top, right, bottom, thousandths of
    a percent) of a ``width`` x ``height`` picture so it has the shape of a
    ``cx`` x ``cy`` cell."""
    if width <= 0 or height <= 0:
        return 0, 0, 0, 0
    if width * cy > height * cx:  # wider than the cell: the sides go, evenly
        cut = _WHOLE - _WHOLE * height * cx // (width * cy)
        return cut // 2, 0, cut - cut // 2, 0
    cut = _WHOLE - _WHOLE * width * cy // (height * cx)  # taller: a third above, two thirds below
    return 0, cut // 3, 0, cut - cut // 3


def drawing(rid: str, pid: int, name: str, size: tuple[int, int], crop: tuple[int, int, int, int]) -> str:
    """An inline picture run (ECMA-376 Part 1, 20.4.2.8 inline; 20.2.2.5
    pic) of ``size`` EMU, cropped by ``crop`` (20.1.8.55 srcRect)."""
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    pic = "http://schemas.openxmlformats.org/drawingml/2006/picture"
    wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    cx, cy = size
    cut = "".join(f' {side}="{v}"' for side, v in zip("ltrb", crop) if v)
    src = f"<a:srcRect{cut}/>" if cut else ""
    return (
        f'<w:r><w:drawing><wp:inline xmlns:wp="{wp}" distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{pid}" name="Picture {pid}"/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{a}" noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic xmlns:a="{a}"><a:graphicData uri="{pic}"><pic:pic xmlns:pic="{pic}">'
        f'<pic:nvPicPr><pic:cNvPr id="0" name="{name}"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip xmlns:r="{r}" r:embed="{rid}"/>{src}<a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r>"
    )
