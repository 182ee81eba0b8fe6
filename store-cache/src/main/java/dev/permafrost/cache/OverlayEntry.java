package dev.permafrost.cache;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One entry of a worker's overlay: a mortal object in the private memory (above the frozen
 * boundary) of the version that was current when it was put, which it keeps open. Counted on
 * the heap: one reference for the overlay's map, one per open {@link CacheEntry}; the last one
 * frees the object and drops the version's handle.
 */
final class OverlayEntry {
    /** An invalidated key: hides the frozen base's entry from this worker. */
    static final OverlayEntry TOMBSTONE = new OverlayEntry(null, 0, 0, 0);

    final Snapshot snapshot;
    final long objectOffset;
    final long valueBytes;
    private final int stripe;
    private final AtomicInteger references = new AtomicInteger(1);

    OverlayEntry(Snapshot snapshot, int stripe, long objectOffset, long valueBytes) {
        this.snapshot = snapshot;
        this.stripe = stripe;
        this.objectOffset = objectOffset;
        this.valueBytes = valueBytes;
    }

    /** {@return whether a reference was taken: false once the entry was freed (removed and its last handle closed)} */
    boolean tryRetain() {
        int now;
        do {
            now = references.get();
            if (now == 0) {
                return false;
            }
        } while (!references.compareAndSet(now, now + 1));
        return true;
    }

    /** Drops a reference; the last frees the object and releases the version it lives in. */
    void release() {
        if (references.decrementAndGet() == 0) {
            try {
                snapshot.store.release(objectOffset);
            } finally {
                snapshot.release(stripe);
            }
        }
    }
}
