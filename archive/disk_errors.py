"""What went wrong writing to disk, said in Chinese (the OS's own words are English)."""

from __future__ import annotations

import errno

CAUSES = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EROFS: "文件夹所在的文件系统是只读的",
    errno.EACCES: "没有写入权限（只读）",
    errno.EPERM: "没有写入权限（只读）",
    errno.EIO: "磁盘读写出错",
    errno.EMFILE: "打开的文件太多",
    errno.ENAMETOOLONG: "文件名太长",
}


def disk_problem(exc: OSError) -> str:
    """The cause of an ``OSError`` in Chinese; the system's text where there is no translation."""
    return CAUSES.get(exc.errno or 0) or str(exc.strerror or exc)
