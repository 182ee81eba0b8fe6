package dev.permafrost.layout;

import static dev.permafrost.layout.StoreFormat.INT;
import static dev.permafrost.layout.StoreFormat.LONG;

import java.lang.foreign.MemorySegment;

/**
 * The type table: an object of type {@link TypeIds#TYPE_TABLE} whose offset the commit slot
 * holds. Entry {@code i} is a reference to the descriptor object of type id
 * {@code FIRST_USER_TYPE_ID + i}; entries are never removed, so type ids are dense. The
 * table's capacity is what its payload length leaves room for; entries past the count are 0.
 * The table is written by the owner only, before freeze; a table that outgrows its block is
 * copied into one twice as large, the old one is freed, and the next commit slot points at
 * the copy. The table holds one reference to each descriptor object.
 *
 * <pre>
 *  payload offset 0       4          8                    8 + 8n
 *                +-------+----------+--------------------+
 *                | count | reserved | descriptor offsets |
 *                +-------+----------+--------------------+
 * </pre>
 */
public final class TypeTableDescriptor {
    /** Payload offset of the 4-byte entry count. */
    public static final int COUNT_OFFSET = 0;
    /** Payload offset of the first 8-byte entry. */
    public static final int ENTRIES_OFFSET = 8;
    /** Bytes of one entry. */
    public static final int ENTRY_LENGTH = 8;

    private TypeTableDescriptor() {
    }

    /**
     * Returns payload bytes of a table with that many entries.
     *
     * @param entries number of entries
     * @return payload bytes of a table with that many entries
     */
    public static long payloadBytes(int entries) {
        return ENTRIES_OFFSET + (long) ENTRY_LENGTH * entries;
    }

    /**
     * Returns the number of entries.
     *
     * @param payload the table's payload
     * @return the number of entries
     */
    public static int count(MemorySegment payload) {
        return payload.get(INT, COUNT_OFFSET);
    }

    /**
     * Returns how many entries a table with that payload length holds.
     *
     * @param payloadBytes the table's payload length, from its header
     * @return its capacity in entries
     */
    public static int capacity(long payloadBytes) {
        return (int) ((payloadBytes - ENTRIES_OFFSET) / ENTRY_LENGTH);
    }

    /**
     * Appends an entry and raises the count; the caller has checked the capacity.
     *
     * @param payload          the table's payload
     * @param descriptorOffset the new descriptor object
     * @return the new entry's index
     */
    public static int append(MemorySegment payload, long descriptorOffset) {
        int index = count(payload);
        payload.set(LONG, ENTRIES_OFFSET + (long) ENTRY_LENGTH * index, descriptorOffset);
        payload.set(INT, COUNT_OFFSET, index + 1);
        return index;
    }

    /**
     * Returns the offset of that entry's descriptor object.
     *
     * @param payload the table's payload
     * @param index   entry index
     * @return the offset of that entry's descriptor object
     */
    public static long entry(MemorySegment payload, int index) {
        return payload.get(LONG, ENTRIES_OFFSET + (long) ENTRY_LENGTH * index);
    }
}
