package dev.permafrost.memory;

/** What {@code /proc/PID/pagemap} says about one page of a private file mapping. */
public enum PageState {
    /** Not in this process's page tables: never touched (or reclaimed). */
    ABSENT,
    /** Present and backed by the file: the page-cache page, shared with every other mapper. */
    FILE,
    /** Present (or swapped) and anonymous: the process wrote it and the kernel copied it. */
    COPIED
}
