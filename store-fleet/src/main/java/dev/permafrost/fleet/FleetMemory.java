package dev.permafrost.fleet;

import java.util.List;

/**
 * The kernel's accounting of a fleet's memory for its store.
 *
 * @param storeBytes the store file's length in bytes
 * @param workers    each running worker's accounting, by index
 */
public record FleetMemory(long storeBytes, List<WorkerMemory> workers) {
    /**
     * Creates the record.
     *
     * @param storeBytes the store file's length in bytes
     * @param workers    each running worker's accounting
     */
    public FleetMemory {
        workers = List.copyOf(workers);
    }

    /** {@return the fleet's resident memory for the store: the sum of every worker's {@code Pss} of its mapping} */
    public long pssBytesTotal() {
        return workers.stream().mapToLong(w -> w.mapping().pssBytes()).sum();
    }

    /** {@return the sum of every worker's {@code Rss} of its mapping (shared pages counted once per worker)} */
    public long rssBytesTotal() {
        return workers.stream().mapToLong(w -> w.mapping().rssBytes()).sum();
    }

    /** {@return bytes copied on write by all workers together} */
    public long copiedBytesTotal() {
        return workers.stream().mapToLong(WorkerMemory::copiedBytes).sum();
    }

    /** {@return what the workers would hold with a private copy of the store each: workers times store bytes} */
    public long separateCopiesBytes() {
        return workers.size() * storeBytes;
    }
}
