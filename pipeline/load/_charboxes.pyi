from typing import Any

# out: any writable buffer of count FS_RECTF (a ctypes array)
def loose_boxes(fn: int, textpage: int, count: int, out: Any, /) -> None: ...
