package dev.permafrost.store;

/**
 * Space accounting of a store at one instant, from the allocator's own counters.
 *
 * @param capacityBytes        bytes the heap may grow to (the mapping's end)
 * @param usedBytes            bytes from the heap start to the bump offset
 * @param liveObjects          objects allocated and not freed
 * @param liveBytes            block bytes of live objects, headers included
 * @param freeBytes            block bytes on free lists, ready for reuse
 * @param wastedBytes          block bytes neither live nor reusable (16-byte fillers)
 * @param bumpOffset           end of the used heap, bytes from the start of the file
 * @param frozenBoundaryOffset end of the frozen region, or 0 if the store is not frozen
 */
public record StoreStats(long capacityBytes, long usedBytes, long liveObjects, long liveBytes, long freeBytes,
                         long wastedBytes, long bumpOffset, long frozenBoundaryOffset) {
}
