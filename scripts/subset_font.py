"""Make the PDF's font: DejaVu Sans (regular and bold) cut down to the characters French needs.

    uv run python scripts/subset_font.py      # needs Debian's fonts-dejavu-core

Writes static/guide/fonts/guide-sans{,-bold}.ttf. One small embedded font keeps WeasyPrint
away from system fonts (fontconfig look-ups) and keeps the PDF small. DejaVu's licence allows
modified copies; it is copied next to the files.
"""

from pathlib import Path

from fontTools import subset

SOURCE = Path("/usr/share/fonts/truetype/dejavu")
TARGET = Path(__file__).resolve().parent.parent / "static" / "guide" / "fonts"
# Basic Latin, Latin-1, Œ œ, general punctuation (dashes, quotes, ellipsis, bullet, narrow no-break
# space), arrows, €, the ballot box, and the list markers ◦ ▪ of nested lists.
UNICODES = (
    "U+0020-007E,U+00A0-00FF,U+0152-0153,U+2010-2027,U+202F,U+2190-2193,U+20AC,U+2610,U+25AA,U+25E6"
)


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    for source, target in (
        ("DejaVuSans.ttf", "guide-sans.ttf"),
        ("DejaVuSans-Bold.ttf", "guide-sans-bold.ttf"),
    ):
        options = subset.Options()
        # No ligature: "fi" or "ffi" glyphs would break text extraction and screen readers in the PDF.
        options.layout_features = ["kern"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        font = subset.load_font(str(SOURCE / source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
        subsetter.subset(font)
        subset.save_font(font, str(TARGET / target), options)
        print(target, (TARGET / target).stat().st_size, "octets")


if __name__ == "__main__":
    main()
