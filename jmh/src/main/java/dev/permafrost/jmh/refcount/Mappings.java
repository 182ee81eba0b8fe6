package dev.permafrost.jmh.refcount;

import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.store.Store;

/** Where a store is mapped in this process, for the baselines that read its memory without the store. */
final class Mappings {
    private Mappings() {
    }

    /**
     * Returns the address of offset 0 of a store's mapping, derived from an object's payload.
     *
     * @param store        the store
     * @param objectOffset a live object of it
     * @return the address its file's first byte is mapped at
     */
    static long address(Store store, long objectOffset) {
        return store.payload(objectOffset).address() - objectOffset - ObjectHeaderDescriptor.LENGTH;
    }
}
