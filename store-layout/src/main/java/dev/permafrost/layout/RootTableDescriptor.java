package dev.permafrost.layout;

import static dev.permafrost.layout.StoreFormat.INT;
import static dev.permafrost.layout.StoreFormat.LONG;

import java.lang.foreign.MemorySegment;

/**
 * The root table: an object of type {@link TypeIds#ROOT_TABLE} whose offset the commit slot
 * holds. Each entry names an object: a reference to the name (a string object) and a
 * reference to the object. Both references count: setting a root retains the object,
 * replacing it releases the old one.
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
