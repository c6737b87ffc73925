"""Small label-free illustrations for generated articles, drawn with Pillow.

Seven simple schematic pictures (chromosomes, cells, kidneys, digestive
system, heart, brain, a human outline) are drawn once, saved to the default
storage under ``conditions/library/`` and shared by every article of their
topic: 10,000 articles use seven files. Drawing is deterministic.
"""

import io

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 480, 320
SCALE = 2  # drawn at twice the size, then scaled down for smooth edges
FOLDER = "conditions/library"

BACKGROUND = (232, 241, 248)
OUTLINE = (52, 73, 94)
BLUE = (74, 128, 190)
LIGHT_BLUE = (170, 200, 230)
RED = (200, 70, 70)
PINK = (236, 160, 150)
ORANGE = (232, 150, 60)
GREEN = (110, 170, 120)
SKIN = (241, 200, 168)
PURPLE = (140, 110, 180)


def _s(*values):
    return [round(v * SCALE) for v in values]


def _box(x0, y0, x1, y1):
    return _s(x0, y0, x1, y1)


def _line(draw, points, fill, width):
    draw.line([tuple(_s(x, y)) for x, y in points], fill=fill, width=width * SCALE)


def _chromosomes(draw):
    for dx, tilt in ((170, -6), (290, 6)):
        for half in (-1, 1):
            x = dx + half * 22 + tilt * half * 0.2
            draw.rounded_rectangle(
                _box(x - 16, 50, x + 16, 150), radius=16 * SCALE, fill=BLUE
            )
            draw.rounded_rectangle(
                _box(x - 16, 160, x + 16, 280), radius=16 * SCALE, fill=BLUE
            )
            for y in (80, 110, 200, 235, 260):
                draw.rectangle(_box(x - 16, y, x + 16, y + 6), fill=LIGHT_BLUE)
        draw.ellipse(_box(dx - 12, 146, dx + 12, 166), fill=OUTLINE)
    draw.rectangle(_box(290 + 22 - 16, 212, 290 + 22 + 16, 228), fill=ORANGE)


def _cells(draw):
    for row in range(3):
        for column in range(3):
            x, y = 60 + column * 55, 80 + row * 60
            draw.ellipse(_box(x, y, x + 44, y + 44), fill=LIGHT_BLUE, outline=OUTLINE)
            draw.ellipse(_box(x + 16, y + 16, x + 28, y + 28), fill=BLUE)
    cluster = [
        (300, 90, 60),
        (350, 120, 52),
        (310, 160, 66),
        (370, 180, 48),
        (280, 200, 50),
        (340, 220, 58),
        (395, 130, 40),
    ]
    for x, y, size in cluster:
        draw.ellipse(_box(x, y, x + size, y + size * 0.8), fill=PINK, outline=OUTLINE)
        draw.ellipse(
            _box(x + size * 0.3, y + size * 0.2, x + size * 0.7, y + size * 0.6),
            fill=RED,
        )


def _kidneys(draw):
    for x in (150, 290):
        draw.ellipse(_box(x, 50, x + 70, 160), fill=RED, outline=OUTLINE)
        inner = x + 50 if x < 240 else x + 4
        draw.ellipse(_box(inner, 90, inner + 18, 120), fill=BACKGROUND)
    _line(draw, [(214, 110), (225, 200), (236, 250)], ORANGE, 7)
    _line(draw, [(296, 110), (280, 200), (254, 250)], ORANGE, 7)
    draw.ellipse(_box(205, 235, 285, 295), fill=ORANGE, outline=OUTLINE)


def _digestive(draw):
    _line(draw, [(240, 20), (240, 70), (230, 90)], PINK, 12)
    draw.chord(_box(170, 70, 300, 170), 200, 160, fill=PINK, outline=OUTLINE)
    # The small intestine: a winding tube inside the frame of the large one.
    path, y = [(240, 165), (240, 190)], 190
    for row in range(5):
        x_from, x_to = (185, 295) if row % 2 == 0 else (295, 185)
        path += [(x_from, y), (x_to, y), (x_to, y + 20)]
        y += 20
    _line(draw, path, ORANGE, 9)
    draw.rounded_rectangle(
        _box(140, 170, 340, 300), radius=30 * SCALE, outline=GREEN, width=14 * SCALE
    )


def _heart(draw):
    draw.ellipse(_box(160, 90, 250, 190), fill=RED)
    draw.ellipse(_box(230, 90, 320, 190), fill=RED)
    draw.polygon(
        [tuple(_s(x, y)) for x, y in ((165, 160), (315, 160), (240, 275))], fill=RED
    )
    _line(draw, [(245, 95), (245, 50), (300, 40), (330, 70)], RED, 16)
    _line(draw, [(215, 95), (200, 40)], BLUE, 14)
    _line(draw, [(270, 95), (290, 55)], BLUE, 12)


def _brain(draw):
    draw.ellipse(_box(110, 50, 370, 230), fill=PINK, outline=OUTLINE, width=2 * SCALE)
    for offset in range(0, 200, 40):
        draw.arc(
            _box(130 + offset, 80, 190 + offset, 150),
            180,
            360,
            fill=OUTLINE,
            width=3 * SCALE,
        )
        draw.arc(
            _box(140 + offset, 130, 200 + offset, 200),
            0,
            180,
            fill=OUTLINE,
            width=3 * SCALE,
        )
    draw.ellipse(_box(270, 180, 350, 240), fill=PURPLE, outline=OUTLINE)
    _line(draw, [(290, 225), (300, 300)], ORANGE, 14)


def _body(draw):
    draw.ellipse(_box(210, 20, 270, 80), fill=SKIN, outline=OUTLINE)
    draw.rounded_rectangle(
        _box(195, 85, 285, 210), radius=25 * SCALE, fill=SKIN, outline=OUTLINE
    )
    _line(draw, [(200, 100), (160, 190)], SKIN, 20)
    _line(draw, [(280, 100), (320, 190)], SKIN, 20)
    _line(draw, [(220, 200), (215, 305)], SKIN, 24)
    _line(draw, [(260, 200), (265, 305)], SKIN, 24)


DRAWINGS = {
    "chromosomes": _chromosomes,
    "cells": _cells,
    "kidneys": _kidneys,
    "digestive": _digestive,
    "heart": _heart,
    "brain": _brain,
    "body": _body,
}


def draw(key):
    """Return the PNG bytes of one illustration."""
    picture = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), BACKGROUND)
    DRAWINGS[key](ImageDraw.Draw(picture))
    picture = picture.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.quantize(colors=48).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def ensure_files(storage):
    """Save any missing illustration to `storage`; return {key: stored name}."""
    from django.core.files.base import ContentFile

    names = {}
    for key in DRAWINGS:
        name = f"{FOLDER}/{key}.png"
        if not storage.exists(name):
            name = storage.save(name, ContentFile(draw(key)))
        names[key] = name
    return names
