"""Screenshot comparison against stored PNG files (Pillow), with a diff image on failure."""

from __future__ import annotations

import io
from pathlib import Path


def compare_screenshot(png: bytes, expected_path: Path, output_dir: Path, *, update: bool = False,
                       threshold: float = 0.1, max_diff_ratio: float = 0.0) -> None:
    """Compare the PNG bytes ``png`` with the file ``expected_path``.

    Args:
        threshold: Per-pixel colour distance (0-1, the largest channel difference / 255)
            above which a pixel differs.
        max_diff_ratio: Share (0-1) of differing pixels still accepted.
        update: Write ``png`` to ``expected_path`` and accept it.

    Raises:
        AssertionError: ``expected_path`` is missing (it is written then), or the sizes
            differ, or too many pixels differ. ``<name>-actual.png``, ``<name>-expected.png``
            and ``<name>-diff.png`` (differing pixels red over a faded expected image)
            are written to ``output_dir`` and named in the message.
    """
    from PIL import Image, ImageChops

    if update or not expected_path.exists():
        expected_path.parent.mkdir(parents=True, exist_ok=True)
        expected_path.write_bytes(png)
        if update:
            return
        raise AssertionError(f"No stored screenshot {expected_path}: wrote the current one there; "
                             "check it, commit it and run again.")
    actual = Image.open(io.BytesIO(png)).convert("RGB")
    expected = Image.open(expected_path).convert("RGB")
    stem = expected_path.stem
    output_dir.mkdir(parents=True, exist_ok=True)
    actual_path = output_dir / f"{stem}-actual.png"
    copy_path = output_dir / f"{stem}-expected.png"
    diff_path = output_dir / f"{stem}-diff.png"
    if actual.size != expected.size:
        actual.save(actual_path)
        expected.save(copy_path)
        raise AssertionError(f"Screenshot {stem}: size {actual.size} differs from the stored "
                             f"{expected.size} ({expected_path}); actual: {actual_path}")
    delta = ImageChops.difference(actual, expected)
    # Largest channel difference per pixel, as a mask of the pixels over the threshold.
    r, g, b = delta.split()
    biggest = ImageChops.lighter(ImageChops.lighter(r, g), b)
    mask = biggest.point(lambda v: 255 if v > threshold * 255 else 0)
    differing = mask.histogram()[255]
    total = actual.size[0] * actual.size[1]
    if differing > max_diff_ratio * total:
        actual.save(actual_path)
        expected.save(copy_path)
        faded = Image.blend(expected.convert("L").convert("RGB"), Image.new("RGB", expected.size, "white"), 0.7)
        faded.paste(Image.new("RGB", expected.size, (255, 0, 0)), mask=mask)
        faded.save(diff_path)
        raise AssertionError(
            f"Screenshot {stem}: {differing} of {total} pixels differ ({differing / total:.4%}, "
            f"allowed {max_diff_ratio:.4%}) from {expected_path}.\n"
            f"  actual:   {actual_path}\n  expected: {copy_path}\n  diff:     {diff_path}\n"
            "Run pytest with --update-snapshots if the change is intended.")
