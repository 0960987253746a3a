"""A scan or photo of a page made fit for OCR: page found and flattened, light evened, the seal's red removed.

Offices scan 公文 in colour, and people photograph them with a phone. What breaks
OCR there is not the text but what lies around and over it:

- a phone photo shows the desk around the page and the page in perspective: the
  page's four corners are found (the largest bright quadrilateral) and warped
  back to a rectangle;
- uneven light (a lid not closed, a lamp to one side) leaves one corner grey:
  each channel is divided by its own background (the page with the ink closed
  over), so paper is white everywhere;
- the red seal lies over the signature and date, and its ring text would be read
  as text: red inside a seal (a large, round, hollow red blob) and red rules
  (thin and wide) are taken from the red channel, where red is as light as
  paper and black ink stays black; red text (the 发文机关标志, the issuers'
  names in large red type) is taken from the green and blue channels, where it
  is as dark as black ink, so the masthead is read with the body.

OpenCV does the geometry and the filters; it comes with rapidocr (its
``opencv-python-headless`` requirement), which the OCR path needs anyway.
"""

from __future__ import annotations

from typing import Any

# the background is estimated at a quarter of the resolution; 9 px there is 36 px at 200 dpi:
# wider than any stroke of the masthead, narrower than the gaps between lines
_BACKGROUND_KERNEL = 9
_MIN_SIDE = 64


def clean(image: Any) -> Any:
    """The page image as a grayscale PIL image: dewarped, light evened, seal red gone, red text black."""
    import numpy as np
    from PIL import Image

    rgb = np.asarray(image.convert("RGB"))
    if min(rgb.shape[:2]) < _MIN_SIDE:
        return image.convert("L")  # a thumbnail, not a page: nothing to find or even out
    rgb = _dewarp(rgb)
    flat = _flatten(rgb)
    gray = (0.299 * flat[..., 0] + 0.587 * flat[..., 1] + 0.114 * flat[..., 2]).astype(np.uint8)
    red = _red_mask(flat)
    if red.any():
        seal, text = _split_red(red)
        # inside a seal every reddish pixel, the ring's blurred edges too, is taken from the red channel
        # lifted by what the seal's ink lacks of paper, so the ring leaves no grey ghost to detect
        reddish = seal & (flat[..., 0].astype(np.int16) - np.maximum(flat[..., 1], flat[..., 2]) > 20)
        if reddish.any():
            lift = 255 - int(np.median(flat[..., 0][reddish & red]) if (reddish & red).any() else 255)
            gray = np.where(reddish, np.clip(flat[..., 0].astype(np.int16) + lift, 0, 255), gray)
        gray = np.where(text, np.minimum(flat[..., 1], flat[..., 2]), gray)
    return Image.fromarray(gray.astype(np.uint8), "L")


def _flatten(rgb: Any) -> Any:
    """Each channel over its background (ink closed over, then smoothed): paper 255 under any light."""
    import cv2
    import numpy as np

    kernel = np.ones((_BACKGROUND_KERNEL, _BACKGROUND_KERNEL), np.uint8)
    out = np.empty_like(rgb)
    for c in range(3):
        channel = rgb[..., c]
        small = cv2.resize(channel, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
        bg = cv2.dilate(small, kernel)
        bg = cv2.GaussianBlur(bg, (0, 0), 6)
        bg = cv2.resize(bg, (channel.shape[1], channel.shape[0]), interpolation=cv2.INTER_LINEAR)
        out[..., c] = np.clip(channel.astype(np.float32) * 255.0 / np.maximum(bg, 40), 0, 255).astype(
            np.uint8
        )
    return out


def _red_mask(rgb: Any) -> Any:
    import numpy as np

    r = rgb[..., 0].astype(np.int16)
    gb = np.maximum(rgb[..., 1], rgb[..., 2]).astype(np.int16)
    return (r > 110) & (r - gb > 70)


def _split_red(red: Any) -> tuple[Any, Any]:
    """The red pixels in two masks: seal and rules (to drop), text (to keep as ink)."""
    import cv2
    import numpy as np

    h, w = red.shape
    mask = red.astype(np.uint8)
    joined = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    drop = np.zeros((h, w), bool)
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        round_blob = 0.75 < bw / max(bh, 1) < 1.33 and bw > 0.08 * w and area < 0.6 * bw * bh
        rule = bh < 0.012 * h and bw > 0.2 * w
        if round_blob:
            drop[y : y + bh, x : x + bw] = True  # the ring and everything inside it: star, ring text
        elif rule:
            drop |= labels == i
    text = red & ~drop
    return drop, cv2.dilate(text.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool) & ~drop


def _dewarp(rgb: Any) -> Any:
    """The page cut out of a photo and warped to a rectangle; a flat scan (no border) as it is."""
    import cv2
    import numpy as np

    h, w = rgb.shape[:2]
    scale = 800 / max(h, w)
    small = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), (5, 5), 0)
    border = np.concatenate([gray[:4].ravel(), gray[-4:].ravel(), gray[:, :4].ravel(), gray[:, -4:].ravel()])
    if np.median(border) > 170:
        return rgb  # the page reaches the edges: a scan, nothing around it
    _, bright = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return rgb
    page = max(contours, key=cv2.contourArea)
    if not 0.3 * gray.size < cv2.contourArea(page) < 0.95 * gray.size:
        return rgb  # no page to be seen, or the page is the whole picture
    quad = cv2.approxPolyDP(page, 0.02 * cv2.arcLength(page, True), True)
    if len(quad) != 4:
        quad = cv2.boxPoints(cv2.minAreaRect(page))
    pts = _order(quad.reshape(4, 2).astype(np.float32) / scale)
    tl, tr, br, bl = pts
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(pts, target)
    return cv2.warpPerspective(
        rgb, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )


def _order(pts: Any) -> Any:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    import numpy as np

    s, d = pts.sum(axis=1), np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], np.float32)
