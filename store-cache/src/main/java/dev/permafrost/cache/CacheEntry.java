package dev.permafrost.cache;

import dev.permafrost.error.PermafrostException;
import dev.permafrost.store.RecordType;
import dev.permafrost.store.Ref;
import java.lang.foreign.MemorySegment;

/**
 * A handle on one entry of a cache: its value in place, valid until the handle is closed, even
 * if the cache swaps to a new version meanwhile (the old version's store stays open until its
 * last handle closes). Opening and closing a handle writes only this worker's heap.
 *
 * <p>A handle is used by one thread at a time (hand it over with a happens-before, like any
 * object). Using it after {@link #close()}, or closing it twice, throws {@link CacheClosedException}.
 *
 * @param <V> the value type
 */
public final class CacheEntry<V> implements AutoCloseable {
    private final SharedCache<?, V> cache;
    private final Snapshot snapshot;
    private final int stripe;
    private final long position;
    private final OverlayEntry overlay; // null for a frozen entry
    private boolean closed;

    /** A handle on a frozen entry: counted on the snapshot's stripe. */
    CacheEntry(SharedCache<?, V> cache, Snapshot snapshot, int stripe, long position) {
        this.cache = cache;
        this.snapshot = snapshot;
        this.stripe = stripe;
        this.position = position;
        this.overlay = null;
    }

    /** A handle on an overlay entry, whose reference the caller took for it. */
    CacheEntry(SharedCache<?, V> cache, OverlayEntry overlay) {
        this.cache = cache;
        this.snapshot = overlay.snapshot;
        this.stripe = 0;
        this.position = -1;
        this.overlay = overlay;
    }

    /** {@return whether the entry is this worker's own (the overlay's), not the frozen base's} */
    public boolean isOverlay() {
        return overlay != null;
    }

    /**
     * Decodes the value into a new heap object (for record values, a heap record read by the
     * store's generated decoder).
     *
     * @return the value
     * @throws CacheClosedException if the handle is closed
     */
    public V value() {
        checkOpen("value");
        return overlay == null ? cache.decode(snapshot, position) : cache.decodeObject(snapshot, overlay.objectOffset);
    }

    /**
     * The stored bytes of the value, in place: read-only, no copy. For a record value, the
     * typed object's payload (its struct, see {@code docs/FORMAT.md}).
     *
     * @return the bytes; valid while this handle is open
     * @throws CacheClosedException if the handle is closed
     */
    public MemorySegment valueBytes() {
        checkOpen("valueBytes");
        return overlay == null ? snapshot.valueBytes(position) : snapshot.store.payload(overlay.objectOffset).asReadOnly();
    }

    /**
     * The record value's object, for the record type's zero-copy field accessors:
     * {@code entry.recordType().intField("id").get(entry.ref())}.
     *
     * @return the typed object; valid while this handle is open
     * @throws CacheClosedException  if the handle is closed
     * @throws IllegalStateException if the cache's values are bytes, not records
     */
    @SuppressWarnings("unchecked") // the snapshot's record type was registered for V's class
    public Ref<V> ref() {
        checkOpen("ref");
        checkRecord();
        return (Ref<V>) Ref.to(overlay == null ? snapshot.valueObject(position) : overlay.objectOffset);
    }

    /**
     * The record type of the version this handle is on, bound to that version's store: make
     * field accessors from it once per {@link #version()}, not per lookup.
     *
     * @param <R> the record class: the cache's value type
     * @return the record type
     * @throws CacheClosedException  if the handle is closed
     * @throws IllegalStateException if the cache's values are bytes, not records
     */
    @SuppressWarnings("unchecked") // registered for the value codec's class, V
    public <R extends Record> RecordType<R> recordType() {
        checkOpen("recordType");
        checkRecord();
        return (RecordType<R>) snapshot.recordType;
    }

    /** {@return the version this handle's entry belongs to} */
    public long version() {
        return snapshot.version;
    }

    /**
     * Releases the handle; the last handle of a swapped-out version closes that version's store.
     *
     * @throws CacheClosedException if the handle was closed already
     */
    @Override
    public void close() {
        checkOpen("close");
        closed = true;
        if (overlay == null) {
            snapshot.release(stripe);
        } else {
            overlay.release();
        }
    }

    /** {@return the overlay entry's store object, or -1 for a frozen entry: for tests} */
    long overlayObjectOffset() {
        return overlay == null ? -1 : overlay.objectOffset;
    }

    @Override
    public String toString() {
        return "CacheEntry[" + snapshot + ", position 0x" + Long.toHexString(position) + (closed ? ", closed]" : "]");
    }

    private void checkOpen(String operation) {
        if (closed) {
            throw new CacheClosedException(snapshot.directory, snapshot.file, PermafrostException.NO_OFFSET,
                    "cannot " + operation + ": the entry handle is closed" + (operation.equals("close") ? " already" : ""), null);
        }
    }

    private void checkRecord() {
        if (snapshot.recordType == null) {
            throw new IllegalStateException("the cache's values are bytes, not records: no object to read fields of");
        }
    }
}
