package dev.permafrost.memory;

/**
 * The kernel's accounting of one file's mapping in one process, summed over every
 * {@code /proc/PID/smaps} entry (VMA) of it: a mapping splits into several entries when parts
 * of it are remapped or protected differently.
 *
 * @param pid              the process
 * @param pathname         the file as smaps names it (with {@code " (deleted)"} if it was removed)
 * @param startAddress     lowest address of the entries
 * @param endAddress       end (exclusive) of the highest entry
 * @param vmaCount         how many smaps entries were summed
 * @param sizeBytes        bytes of address space mapped
 * @param rssBytes         bytes resident ({@code Rss})
 * @param pssBytes         proportional share ({@code Pss}): each resident page divided by the
 *                         number of processes that map it
 * @param sharedCleanBytes resident and mapped by other processes too, unmodified ({@code Shared_Clean})
 * @param sharedDirtyBytes {@code Shared_Dirty}
 * @param privateCleanBytes {@code Private_Clean}
 * @param privateDirtyBytes {@code Private_Dirty}
 * @param anonymousBytes   {@code Anonymous}: in a private file mapping, the bytes copied on write
 */
public record MappingMemory(long pid, String pathname, long startAddress, long endAddress, int vmaCount,
                            long sizeBytes, long rssBytes, long pssBytes, long sharedCleanBytes,
                            long sharedDirtyBytes, long privateCleanBytes, long privateDirtyBytes,
                            long anonymousBytes) {

    /**
     * {@return bytes of the mapping this process copied on write}: {@code Anonymous}, never
     * {@code Private_*} (a page-cache page mapped by one process only is private without
     * being a copy)
     */
    public long copiedBytes() {
        return anonymousBytes;
    }
}
