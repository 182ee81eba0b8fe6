package dev.permafrost.demo;

import dev.permafrost.store.Store;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The demo's objects, built by the master and read by every worker: all building and reading
 * of the demo's data lives here, so only this class changes when the data model does.
 *
 * <p>For now the objects are raw store objects laid out by hand. A <em>record</em> is a
 * 56-byte payload:
 * <pre>
 *  0      4          8            16               24   25                          56
 *  +------+----------+------------+----------------+----+---------------------------+
 *  | id   | category | score      | friendOffset   |len | name: UTF-8, inline       |
 *  | int  | int      | double     | long: a record | u8 | up to 31 bytes            |
 *  +------+----------+------------+----------------+----+---------------------------+
 * </pre>
 * The <em>root</em> is one object whose payload is the record count (a long) and then every
 * record's offset (longs). Every record is reachable from the root; each references another
 * record (its friend). The root's offset is the entry point handed to the workers.
 *
 * <p>Thread rules: {@link #build} needs the store to itself; {@link #touchAll} may run on
 * any number of threads and processes at once.
 */
public final class DemoData {
    static final int ID_OFFSET = 0;
    static final int CATEGORY_OFFSET = 4;
    static final int SCORE_OFFSET = 8;
    static final int FRIEND_OFFSET = 16;
    static final int NAME_LENGTH_OFFSET = 24;
    static final int NAME_OFFSET = 25;
    static final int NAME_MAX_BYTES = 31;
    /** Payload bytes of a record. */
    static final int RECORD_BYTES = NAME_OFFSET + NAME_MAX_BYTES;
    /** Header bytes of a record's block (header, payload, alignment), for sizing stores. */
    static final int RECORD_BLOCK_BYTES = 80;
    private static final int CATEGORIES = 97;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    private DemoData() {
    }

    /**
     * What the master hands the workers, and what they must find.
     *
     * @param rootOffset    the root object: the entry point
     * @param objects       records reachable from the root
     * @param checksum      what {@link #touchAll} returns over them
     * @param usedBytes     bytes of the store in use after building (page-aligned end of the last object)
     */
    public record Built(long rootOffset, int objects, long checksum, long usedBytes) {
    }

    /**
     * What a worker found.
     *
     * @param objects  records read
     * @param checksum a sum over every field read, to compare with {@link Built#checksum}
     */
    public record Touched(int objects, long checksum) {
    }

    /**
     * Bytes a store needs to hold a data set.
     *
     * @param objects records
     * @return a capacity in bytes, with room to spare
     */
    public static long capacityBytes(int objects) {
        return (long) objects * (RECORD_BLOCK_BYTES + 8) + (16L << 20);
    }

    /**
     * Builds the records and the root in a store open as owner; does not freeze or close it.
     *
     * @param store   an owner store
     * @param objects how many records
     * @return the entry point and what readers must find
     */
    public static Built build(Store store, int objects) {
        long root = store.allocate(8L + 8L * objects);
        MemorySegment rootPayload = store.payload(root);
        rootPayload.set(LONG, 0, objects);
        long checksum = 0;
        long previous = 0;
        for (int i = 0; i < objects; i++) {
            long record = store.allocate(RECORD_BYTES);
            MemorySegment payload = store.payload(record);
            payload.set(INT, ID_OFFSET, i);
            payload.set(INT, CATEGORY_OFFSET, i % CATEGORIES);
            payload.set(DOUBLE, SCORE_OFFSET, i * 0.5);
            payload.set(LONG, FRIEND_OFFSET, previous);  // a reference: the record built before (0, null, for the first)
            byte[] name = ("user-" + i + "@permafrost.dev").getBytes(StandardCharsets.UTF_8);
            int length = Math.min(name.length, NAME_MAX_BYTES);
            payload.set(ValueLayout.JAVA_BYTE, NAME_LENGTH_OFFSET, (byte) length);
            MemorySegment.copy(name, 0, payload, ValueLayout.JAVA_BYTE, NAME_OFFSET, length);
            rootPayload.set(LONG, 8L + 8L * i, record);
            checksum += fieldSum(i, i % CATEGORIES, i * 0.5, length, name[length - 1], i == 0 ? -1 : i - 1);
            previous = record;
        }
        return new Built(root, objects, checksum, alignToPage(store.stats().bumpOffset()));
    }

    /**
     * The first lookup a worker does: the root and its first record, retained, read and
     * released.
     *
     * @param store the store
     * @param root  the root's offset
     * @return the first record's id
     */
    public static int firstLookup(Store store, long root) {
        store.retain(root);
        try {
            long record = store.payload(root).get(LONG, 8);
            store.retain(record);
            int id = store.payload(record).get(INT, ID_OFFSET);
            store.release(record);
            return id;
        } finally {
            store.release(root);
        }
    }

    /**
     * Looks up every record through the root, reads all its fields and its friend's id, and
     * retains and releases it: what a worker serving requests does to each object.
     *
     * @param store the store
     * @param root  the root's offset
     * @return how many records were read, and a checksum of what was read
     */
    public static Touched touchAll(Store store, long root) {
        store.retain(root);
        try {
            MemorySegment rootPayload = store.payload(root);
            int objects = (int) rootPayload.get(LONG, 0);
            long checksum = 0;
            for (int i = 0; i < objects; i++) {
                long record = rootPayload.get(LONG, 8L + 8L * i);
                store.retain(record);
                MemorySegment payload = store.payload(record);
                int length = payload.get(ValueLayout.JAVA_BYTE, NAME_LENGTH_OFFSET);
                String name = new String(payload.asSlice(NAME_OFFSET, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
                long friend = payload.get(LONG, FRIEND_OFFSET);
                int friendId = friend == 0 ? -1 : store.payload(friend).get(INT, ID_OFFSET);
                checksum += fieldSum(payload.get(INT, ID_OFFSET), payload.get(INT, CATEGORY_OFFSET),
                        payload.get(DOUBLE, SCORE_OFFSET), name.length(), (byte) name.charAt(name.length() - 1), friendId);
                store.release(record);
            }
            return new Touched(objects, checksum);
        } finally {
            store.release(root);
        }
    }

    private static long fieldSum(int id, int category, double score, int nameLength, byte nameLast, int friendId) {
        return id * 31L + category + Double.doubleToLongBits(score) % 1_000_003 + nameLength + nameLast + friendId;
    }

    private static long alignToPage(long bytes) {
        return (bytes + 4095) & ~4095L;
    }
}
