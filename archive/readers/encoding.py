"""Bytes to text: detect the encoding of a plain-text report from its content, never from its name.

Order of trust: a byte-order mark, then UTF-16 without a mark (the only one with NUL bytes),
then strict UTF-8, then GB18030 when it decodes cleanly and reads as Chinese, then UTF-8 with a
few damaged bytes (each shown as U+FFFD), then UTF-8 and GB18030 mixed line by line (a file pasted
together from two sources), then charset-normalizer.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from archive.errors import ReadError

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)

BINARY_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF87a", "GIF 图片"),
    (b"GIF89a", "GIF 图片"),
    (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"\x7fELF", "可执行程序"),
)

# Chinese characters and what Chinese text sets among them: CJK and full-width punctuation,
# “” — … ·, ①②, ×, Roman numerals.
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2000-\u206f\u2150-\u24ff\u00b7\u00d7]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(path: Path | str, data: bytes) -> tuple[str, str]:
    """The text of a report file and the name of the encoding it was in.

    Line endings come back as ``\\n``. Raises ``ReadError`` for binary content.
    """
    _reject_known_binary(path, data)
    decoded = _decode(path, data)
    if decoded is None:
        raise ReadError(path, "无法识别文件的文字编码（既不是 UTF-8、UTF-16，也不是 GB18030/GBK），请转存为 UTF-8 后重试")
    text, name = decoded
    text = text.lstrip("\ufeff")
    if _control_ratio(text) > 0.01:
        raise ReadError(path, "文件内容含有大量控制字符，像是二进制文件而不是文本报告")
    return normalise_newlines(text), name


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")


def _decode(path: Path | str, data: bytes) -> tuple[str, str] | None:
    for bom, name, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError as exc:
                raise ReadError(path, f"文件以 {name} 字节序标记开头，但第 {exc.start} 字节处无法按 {name} 解码") from exc
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if b"\x00" in data:
        raise ReadError(path, "文件含有 NUL 字节，是二进制文件而不是文本报告")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_chinese(text):
        return text, "gb18030"
    damaged = _damaged_utf8(data)
    if damaged is not None:
        return damaged, "utf-8"
    mixed = _mixed_lines(data)
    if mixed is not None:
        return mixed, "utf-8+gb18030"
    best = from_bytes(data).best()
    if best is None:
        return None
    text = str(best)
    if _control_ratio(text) > 0.01:
        return None
    return text, best.encoding


def _damaged_utf8(data: bytes) -> str | None:
    """UTF-8 with a few broken bytes (a cut download): keep the text, mark each loss with U+FFFD."""
    text = data.decode("utf-8", errors="replace")
    losses = text.count("\ufffd")
    if losses <= max(3, len(text) // 1000) and CJK.search(text):
        return text
    return None


def _mixed_lines(data: bytes) -> str | None:
    """A file pasted together from a UTF-8 and a GBK source: each line decoded on its own.

    Accepted only when every line decodes strictly in one of the two and the whole reads as Chinese.
    """
    lines = []
    for line in data.split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            try:
                lines.append(line.decode("gb18030"))
            except UnicodeDecodeError:
                return None
    text = "\n".join(lines)
    return text if CJK.search(text) and _looks_chinese(text) else None


def _reject_known_binary(path: Path | str, data: bytes) -> None:
    for signature, what in BINARY_SIGNATURES:
        if data.startswith(signature):
            raise ReadError(path, f"文件内容是{what}，不是文本报告（可能是改了扩展名的文件）")


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a mark: the only text encoding here whose bytes contain NULs."""
    if b"\x00" not in data:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    order = ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")
    for name in order:
        try:
            text = data[: len(data) // 2 * 2].decode(name)
        except UnicodeDecodeError:
            continue
        if _control_ratio(text) < 0.01 and CJK.search(text) and _looks_chinese(text):
            return text, name
    return None


def _looks_chinese(text: str) -> bool:
    """Most non-ASCII characters are Chinese characters or CJK punctuation."""
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return True
    return sum(1 for c in non_ascii if CJK.match(c)) / len(non_ascii) >= 0.9


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    return len(CONTROL.findall(text)) / len(text)
