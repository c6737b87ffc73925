"""Generate the demo illustration for the Focal Dystonia page.

Draws a simple, label-free schematic of writer's cramp (a focal dystonia of
the hand): a hand gripping a pen with the fingers curled tight and the wrist
bent, next to handwriting that starts neat and turns small and shaky.

Run from anywhere:

    .venv/bin/python conditions/demo/make_illustration.py

Only Pillow is needed. The picture is drawn at 3x size and scaled down so the
edges are smooth, then saved as a palette PNG to keep the file small.
"""

import math
from pathlib import Path

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 800, 500
SCALE = 3  # supersampling factor
OUT = Path(__file__).resolve().parent / "images" / "focal-dystonia-hand.png"

# Flat colour palette
BACKGROUND = (228, 239, 247)
DESK = (203, 222, 236)
PAPER = (255, 255, 255)
PAPER_EDGE = (176, 196, 214)
RULE = (196, 220, 240)
INK = (37, 84, 184)
SKIN = (241, 196, 160)
SKIN_SHADE = (226, 168, 130)
SKIN_LINE = (170, 108, 78)
SLEEVE = (62, 111, 168)
SLEEVE_DARK = (44, 86, 138)
PEN = (47, 62, 78)
PEN_LIGHT = (96, 116, 136)
PEN_TIP = (150, 160, 170)
STRAIN = (226, 87, 46)

PEN_TIP_POINT = (372, 383)  # where the pen touches the paper


def s(value):
    """Scale a coordinate or length from 800x500 space to canvas space."""
    return round(value * SCALE)


def pts(points):
    return [(s(x), s(y)) for x, y in points]


def capsule(draw, a, b, width, fill, outline=None, outline_width=0):
    """A thick line with round ends (used for fingers, thumb, pen)."""
    ax, ay = a
    bx, by = b
    r = width / 2
    if outline is not None:
        R = r + outline_width
        draw.line(pts([a, b]), fill=outline, width=s(2 * R))
        for x, y in (a, b):
            draw.ellipse(pts([(x - R, y - R), (x + R, y + R)]), fill=outline)
    draw.line(pts([a, b]), fill=fill, width=s(width))
    for x, y in (a, b):
        draw.ellipse(pts([(x - r, y - r), (x + r, y + r)]), fill=fill)


def ellipse_polygon(cx, cy, rx, ry, angle_deg, steps=72):
    a = math.radians(angle_deg)
    out = []
    for i in range(steps):
        t = 2 * math.pi * i / steps
        x, y = rx * math.cos(t), ry * math.sin(t)
        out.append(
            (
                cx + x * math.cos(a) - y * math.sin(a),
                cy + x * math.sin(a) + y * math.cos(a),
            )
        )
    return out


def blob(draw, cx, cy, rx, ry, angle, fill, outline, outline_width=3):
    draw.polygon(
        pts(ellipse_polygon(cx, cy, rx + outline_width, ry + outline_width, angle)),
        fill=outline,
    )
    draw.polygon(pts(ellipse_polygon(cx, cy, rx, ry, angle)), fill=fill)


def paper_point(u, v):
    """Map (u, v) on the tilted sheet of paper to image coordinates."""
    angle = math.radians(-4)
    ox, oy = 40, 150
    return (
        ox + u * math.cos(angle) - v * math.sin(angle),
        oy + u * math.sin(angle) + v * math.cos(angle),
    )


def draw_paper(draw):
    corners = [
        paper_point(0, 0),
        paper_point(640, 0),
        paper_point(640, 420),
        paper_point(0, 420),
    ]
    shadow = [(x + 6, y + 8) for x, y in corners]
    draw.polygon(pts(shadow), fill=PAPER_EDGE)
    draw.polygon(pts(corners), fill=PAPER)
    for v in range(60, 420, 56):
        draw.line(pts([paper_point(0, v), paper_point(640, v)]), fill=RULE, width=s(2))


def draw_writing(draw):
    """Neat loops on the left that become cramped and jagged near the pen."""
    line_v = 284  # sits on the fifth ruled line
    path = []
    u = 40.0
    # Neat, even loops
    while u < 190:
        for k in range(24):
            t = k / 24 * 2 * math.pi
            path.append(
                paper_point(
                    u + 10 * t / math.pi + 9 * math.sin(t),
                    line_v - 14 - 14 * math.cos(t),
                )
            )
        u += 20
    # Shaky, shrinking, jagged strokes
    step = 0
    while u < 300:
        shrink = max(0.35, 1 - (u - 190) / 150)
        jitter = 5 if step % 2 else -5
        path.append(paper_point(u, line_v - 6 - 22 * shrink + jitter))
        path.append(paper_point(u + 4, line_v - 2 + jitter * 0.6))
        u += 9 * shrink + 3
        step += 1
    path.append(PEN_TIP_POINT)
    draw.line(pts(path), fill=INK, width=s(3.2), joint="curve")


def draw_arm_and_hand(draw):
    # Forearm and sleeve coming in from the upper right
    capsule(draw, (860, 150), (600, 240), 128, SKIN, SKIN_LINE, 3)
    draw.polygon(
        pts([(700, 130), (860, 60), (860, 330), (735, 330), (690, 280)]), fill=SLEEVE
    )
    draw.polygon(
        pts([(690, 140), (720, 128), (752, 320), (720, 336)]), fill=SLEEVE_DARK
    )

    # Back of the hand / palm, bent down at the wrist
    blob(draw, 535, 275, 95, 75, 35, SKIN, SKIN_LINE)

    # Pen, held at a steep angle with the tip on the paper
    tip = PEN_TIP_POINT
    top = (628, 122)
    capsule(draw, (tip[0] + 20, tip[1] - 21), top, 20, PEN, PEN, 0)
    capsule(draw, (470, 284), (610, 141), 6, PEN_LIGHT)
    draw.polygon(
        pts([(tip[0], tip[1]), (tip[0] + 28, tip[1] - 14), (tip[0] + 14, tip[1] - 28)]),
        fill=PEN_TIP,
    )

    # Curled fingers: tight knuckles folded under the palm
    fingers = [
        ((560, 360), (604, 330), 46),  # little finger
        ((522, 364), (578, 318), 50),  # ring finger
        ((482, 352), (548, 300), 52),  # middle finger
    ]
    for a, b, w in fingers:
        capsule(draw, a, b, w, SKIN_SHADE, SKIN_LINE, 3)
        capsule(draw, (a[0] + 4, a[1] - 6), (b[0] - 2, b[1] - 4), w - 18, SKIN)

    # Index finger wrapped hard around the pen, fingertip pressed on it
    capsule(draw, (430, 322), (512, 286), 50, SKIN, SKIN_LINE, 3)
    draw.arc(pts([(418, 300), (462, 344)]), 110, 250, fill=SKIN_LINE, width=s(3))

    # Thumb pressing on the pen from above
    capsule(draw, (452, 262), (548, 222), 46, SKIN, SKIN_LINE, 3)
    draw.arc(pts([(438, 246), (476, 284)]), 150, 290, fill=SKIN_LINE, width=s(3))

    # Knuckle creases
    for (x0, y0), (x1, y1) in (
        ((520, 300), (534, 322)),
        ((556, 312), (566, 334)),
        ((590, 326), (596, 344)),
    ):
        draw.line(pts([(x0, y0), (x1, y1)]), fill=SKIN_LINE, width=s(3))


def draw_strain_marks(draw):
    """Short bold strokes around the hand that show the muscle cramp."""
    marks = [
        ((404, 262), (384, 246)),
        ((396, 296), (370, 290)),
        ((462, 206), (450, 184)),
        ((500, 196), (498, 172)),
        ((630, 392), (646, 410)),
        ((596, 402), (602, 426)),
    ]
    for a, b in marks:
        capsule(draw, a, b, 7, STRAIN)
    # Zig-zag spasm sign above the wrist
    zig = [(640, 214), (656, 196), (668, 214), (684, 196), (696, 214)]
    draw.line(pts(zig), fill=STRAIN, width=s(6), joint="curve")


def main():
    canvas = Image.new("RGB", (s(WIDTH), s(HEIGHT)), BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle(pts([(0, 330), (WIDTH, HEIGHT)]), fill=DESK)
    draw_paper(draw)
    draw_writing(draw)
    draw_arm_and_hand(draw)
    draw_strain_marks(draw)

    image = canvas.resize((WIDTH, HEIGHT), Image.LANCZOS)
    image = image.quantize(
        colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    image.save(OUT, optimize=True)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
