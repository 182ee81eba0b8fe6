package dev.permafrost.fleet;

import dev.permafrost.memory.MappingMemory;
import dev.permafrost.memory.PageMap;

/**
 * The kernel's accounting of one worker's mapping of the store.
 *
 * @param index   the worker's index
 * @param pid     its process
 * @param mapping totals from {@code /proc/PID/smaps}: {@code Rss}, {@code Pss}, copied bytes
 * @param pages   per-page states of the file mapping from {@code /proc/PID/pagemap}
 */
public record WorkerMemory(int index, long pid, MappingMemory mapping, PageMap pages) {
    /** {@return bytes of the store this worker copied on write (smaps {@code Anonymous})} */
    public long copiedBytes() {
        return mapping.copiedBytes();
    }
}
