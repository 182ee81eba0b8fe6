package dev.permafrost.layout;

import static dev.permafrost.layout.StoreFormat.INT;
import static dev.permafrost.layout.StoreFormat.LONG;

import java.lang.foreign.MemorySegment;

/**
 * The root table: an object of type {@link TypeIds#ROOT_TABLE} whose offset the commit slot
 * holds. Each entry names an object: a reference to the name (a {@link TypeIds#STRING} object
 * the table owns) and a reference to the object. Both references count: setting a root
 * retains the object, replacing it releases the old one, removing it releases both. Entries
 * are unordered and names unique; removing an entry moves the last one into its place. The
 * capacity is what the payload length leaves room for; a full table is copied into one twice
 * as large, and the next commit slot points at the copy.
 *
 * <pre>
 *  payload offset 0       4          8                          8 + 16n
 *                +-------+----------+-------------+------------+
 *                | count | reserved | name offset | obj offset | ...
 *                +-------+----------+-------------+------------+
 * </pre>
 */
public final class RootTableDescriptor {
    /** Payload offset of the 4-byte entry count. */
    public static final int COUNT_OFFSET = 0;
    /** Payload offset of the first entry. */
    public static final int ENTRIES_OFFSET = 8;
    /** Bytes of one entry. */
    public static final int ENTRY_LENGTH = 16;
    /** Entry offset of the 8-byte reference to the root's name. */
    public static final int ENTRY_NAME_OFFSET = 0;
    /** Entry offset of the 8-byte reference to the root's object. */
    public static final int ENTRY_OBJECT_OFFSET = 8;

    private RootTableDescriptor() {
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
     * Sets the entry count.
     *
     * @param payload the table's payload
     * @param count   the new count
     */
    public static void setCount(MemorySegment payload, int count) {
        payload.set(INT, COUNT_OFFSET, count);
    }

    /**
     * Writes one entry.
     *
     * @param payload      the table's payload
     * @param index        entry index, below the capacity
     * @param nameOffset   the name's string object
     * @param objectOffset the root object
     */
    public static void setEntry(MemorySegment payload, int index, long nameOffset, long objectOffset) {
        long at = ENTRIES_OFFSET + (long) ENTRY_LENGTH * index;
        payload.set(LONG, at + ENTRY_NAME_OFFSET, nameOffset);
        payload.set(LONG, at + ENTRY_OBJECT_OFFSET, objectOffset);
    }

    /**
     * Returns the reference to that entry's name.
     *
     * @param payload the table's payload
     * @param index   entry index
     * @return the reference to that entry's name
     */
    public static long nameOffset(MemorySegment payload, int index) {
        return payload.get(LONG, ENTRIES_OFFSET + (long) ENTRY_LENGTH * index + ENTRY_NAME_OFFSET);
    }

    /**
     * Returns the reference to that entry's object.
     *
     * @param payload the table's payload
     * @param index   entry index
     * @return the reference to that entry's object
     */
    public static long objectOffset(MemorySegment payload, int index) {
        return payload.get(LONG, ENTRIES_OFFSET + (long) ENTRY_LENGTH * index + ENTRY_OBJECT_OFFSET);
    }
}
