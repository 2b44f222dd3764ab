"""Make the PDF's fonts: DejaVu Sans (regular and bold) cut down to the characters French needs,
and to those Arabic needs (guide-arabic{,-bold}.ttf, with the shaping tables Arabic cannot do
without: initial, medial, final and isolated forms, required ligatures, marks).

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
    "U+0020-007E,U+00A0-00FF,U+0152-0153,U+2010-2027,U+202F,U+2190-2193,U+20AC,U+2610,U+25AA,U+25E6,"
    "U+200E-200F,U+202A-202E,U+2066-2069"  # direction marks, which bidirectional text carries
)


# Arabic, its presentation forms, the Arabic punctuation, and digits and basic punctuation.
ARABIC = (
    "U+0020-0040,U+0600-06FF,U+FB50-FDFF,U+FE70-FEFF,U+200C-200F,U+00AB,U+00BB,U+00A0,U+202F,"
    "U+202A-202E,U+2066-2069"
)
ARABIC_FEATURES = ["init", "medi", "fina", "isol", "rlig", "calt", "ccmp", "mark", "mkmk", "kern"]


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    for source, target, unicodes, features in (
        ("DejaVuSans.ttf", "guide-sans.ttf", UNICODES, ["kern"]),
        ("DejaVuSans-Bold.ttf", "guide-sans-bold.ttf", UNICODES, ["kern"]),
        ("DejaVuSans.ttf", "guide-arabic.ttf", ARABIC, ARABIC_FEATURES),
        ("DejaVuSans-Bold.ttf", "guide-arabic-bold.ttf", ARABIC, ARABIC_FEATURES),
    ):
        options = subset.Options()
        # No Latin ligature: "fi" or "ffi" glyphs would break text extraction and screen readers
        # in the PDF. Arabic keeps the features that join its letters.
        options.layout_features = features
        options.name_IDs = ["*"]
        options.notdef_outline = True
        font = subset.load_font(str(SOURCE / source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=subset.parse_unicodes(unicodes))
        subsetter.subset(font)
        subset.save_font(font, str(TARGET / target), options)
        print(target, (TARGET / target).stat().st_size, "octets")


if __name__ == "__main__":
    main()
