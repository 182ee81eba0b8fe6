package dev.permafrost.heapdump;

import dev.permafrost.layout.TypeIds;
import dev.permafrost.store.RecordType;
import dev.permafrost.store.Store;
import dev.permafrost.store.Types;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Stores written by the library for the CLI tests, and (through {@link #main}) for the
 * throughput measurement in {@code scripts/heap-dump-bench}.
 */
final class StoreFixtures {
    /** Type id of the points: the first type registered, shown as {@code Point}. */
    static final int POINT = 64;
    /** Type id of the blobs: byte arrays. */
    static final int BLOB = TypeIds.BYTE_ARRAY;
    /** The kinds {@link #allocate} writes: raw, string and the primitive arrays (8 kinds). */
    static final int[] VALUE_KINDS = {TypeIds.RAW, TypeIds.STRING, TypeIds.BYTE_ARRAY, TypeIds.SHORT_ARRAY,
        TypeIds.INT_ARRAY, TypeIds.LONG_ARRAY, TypeIds.FLOAT_ARRAY, TypeIds.DOUBLE_ARRAY};
    /** Objects the type table adds: the table and one descriptor. */
    static final int TYPE_TABLE_OBJECTS = 2;

    /**
     * Writes an object of a kind that holds no references, its payload zeros: raw through
     * {@link Store#allocate}, strings and primitive arrays through {@link Types}.
     *
     * @param store        an owner store
     * @param kind         one of {@link #VALUE_KINDS}
     * @param payloadBytes payload length, a multiple of the kind's element size
     * @return the object's offset (count 1, the caller's)
     */
    static long allocate(Store store, int kind, long payloadBytes) {
        Types types = store.types();
        int n = Math.toIntExact(payloadBytes);
        return switch (kind) {
            case TypeIds.RAW -> store.allocate(payloadBytes);
            case TypeIds.STRING -> types.writeString("\0".repeat(n)).offset();
            case TypeIds.BYTE_ARRAY -> types.writeArray(new byte[n]).offset();
            case TypeIds.SHORT_ARRAY -> types.writeArray(new short[n / 2]).offset();
            case TypeIds.CHAR_ARRAY -> types.writeArray(new char[n / 2]).offset();
            case TypeIds.INT_ARRAY -> types.writeArray(new int[n / 4]).offset();
            case TypeIds.LONG_ARRAY -> types.writeArray(new long[n / 8]).offset();
            case TypeIds.FLOAT_ARRAY -> types.writeArray(new float[n / 4]).offset();
            case TypeIds.DOUBLE_ARRAY -> types.writeArray(new double[n / 8]).offset();
            default -> throw new IllegalArgumentException("kind " + kind + " holds references");
        };
    }

    /** A point: two longs, 16 bytes of payload. */
    record Point(long index, long value) {
    }

    private StoreFixtures() {
    }

    /** What a fixture wrote, for assertions. */
    record Written(long objects, long raw, long points, long blobs, long textOffset, long pointOffset) {
    }

    /**
     * Writes a store of raw text objects, small "points", and blobs of mixed sizes; retains some
     * points several times and frees every tenth blob, so it has free blocks and counts above 1.
     *
     * @param path   the new store
     * @param freeze whether to freeze it
     * @return what it holds
     */
    static Written mixed(Path path, boolean freeze) {
        try (Store store = Store.create(path, 16L << 20)) {
            RecordType<Point> points = store.types().register(Point.class, "Point", MethodHandles.lookup());
            long text = store.allocate(11);
            store.payload(text).copyFrom(MemorySegment.ofArray("hello store".getBytes(StandardCharsets.UTF_8)));
            long raw = 1;
            long firstPoint = 0;
            for (int i = 0; i < 1000; i++) {
                long p = points.write(new Point(i, 2L * i)).offset();
                if (i == 0) {
                    firstPoint = p;
                }
                for (int r = 0; r < i % 5; r++) {
                    store.retain(p);
                }
            }
            long blobs = 0;
            for (int i = 0; i < 200; i++) {
                long b = allocate(store, BLOB, 100 + 37L * i);
                if (i % 10 == 9) {
                    store.release(b);
                } else {
                    blobs++;
                }
            }
            if (freeze) {
                store.freeze();
            }
            return new Written(raw + 1000 + blobs + TYPE_TABLE_OBJECTS, raw, 1000, blobs, text, firstPoint);
        }
    }

    /**
     * Writes the unfrozen store of the walkthrough in {@code docs/heap-dump.md}: a string, small
     * points, then 6,000-byte byte arrays (every tenth freed again), then more points, a third of
     * them retained once more.
     *
     * @param path the new store
     */
    static void walkthrough(Path path) {
        try (Store store = Store.create(path, 8L << 20)) {
            Types types = store.types();
            RecordType<Point> points = types.register(Point.class, "Point", MethodHandles.lookup());
            var title = types.writeString("Permafrost catalogue: points and blobs, a walkthrough of heap-dump");
            long[] all = new long[40_000];
            for (int i = 0; i < 20_000; i++) {
                all[i] = points.write(new Point(i, 2L * i)).offset();
            }
            long[] blobs = new long[270];
            int kept = 0;
            for (int i = 0; i < 300; i++) {
                long b = allocate(store, BLOB, 6000);
                if (i % 10 == 9) {
                    store.release(b);
                } else {
                    blobs[kept++] = b;
                }
            }
            for (int i = 0; i < 20_000; i++) {
                all[20_000 + i] = points.write(new Point(20_000 + i, -i)).offset();
                if (i % 3 == 0) {
                    store.retain(all[20_000 + i]);
                }
            }
            types.adoptRoot("title", title);
            types.adoptRoot("points", types.writeReferenceArray(points, all));
            types.adoptRoot("blobs", types.writeReferenceArray(null, blobs));
            for (long p : all) {
                store.release(p);
            }
            for (long b : blobs) {
                store.release(b);
            }
        }
    }

    /**
     * Writes a store of about {@code bytes} bytes of small objects, frozen (unless the third
     * argument is {@code mortal}), for measurements;
     * or, with {@code walkthrough} as the size, the store of {@link #walkthrough}.
     *
     * @param args the path and the size in MiB
     */
    public static void main(String[] args) {
        Path path = Path.of(args[0]);
        if (args[1].equals("walkthrough")) {
            walkthrough(path);
            return;
        }
        long bytes = Long.parseLong(args[1]) << 20;
        try (Store store = Store.create(path, bytes + (64L << 20))) {
            long used = 0;
            for (long i = 0; used < bytes; i++) {
                long payload = 16 + (i % 7) * 16;
                allocate(store, VALUE_KINDS[(int) (i % VALUE_KINDS.length)], payload);
                used += payload + 16;
            }
            if (args.length < 3 || !args[2].equals("mortal")) {
                store.freeze();
            }
        }
        System.out.println(path);
    }
}
